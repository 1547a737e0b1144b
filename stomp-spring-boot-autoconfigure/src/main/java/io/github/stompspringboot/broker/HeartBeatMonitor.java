package io.github.stompspringboot.broker;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One session's heart-beats: the intervals its CONNECT negotiated, when the client was
 * last heard from and last written to, and the check on the broker's shared scheduler
 * that beats when the broker was quiet and finds a client that went silent (as Spring's
 * simple broker and Artemis keep them beside their sessions). Taking the session's lock
 * to end it is the session's own business: {@link StompSession#heartBeatTimedOut}.
 */
final class HeartBeatMonitor implements Runnable {

	// The sink and broker are the session's: reached through it, not held again by each
	// of the broker's (mostly idle) sessions.
	private final StompSession session;

	private volatile long lastReadNanos = System.nanoTime();

	private volatile long lastWriteNanos = System.nanoTime();

	// ints (24 days at most) and the monitor itself as the scheduled task: a connection
	// with heart-beats holds no more than when these fields were the session's
	private final int sendIntervalMillis;

	private final int receiveIntervalMillis;

	private final ScheduledFuture<?> task;

	private HeartBeatMonitor(StompSession session, int sendIntervalMillis, int receiveIntervalMillis) {
		this.session = session;
		this.sendIntervalMillis = sendIntervalMillis;
		this.receiveIntervalMillis = receiveIntervalMillis;
		long period = Long.MAX_VALUE;
		if (sendIntervalMillis > 0) {
			period = sendIntervalMillis / 2;
		}
		if (receiveIntervalMillis > 0) {
			period = Math.min(period, receiveIntervalMillis / 2);
		}
		period = Math.max(period, 1);
		this.task = session.broker().scheduler().scheduleAtFixedRate(this, period, period, TimeUnit.MILLISECONDS);
	}

	/**
	 * The spec's rule: each side beats at the slower of what one offers and the other
	 * asks for, and not at all if either says 0. Returns the running check, or
	 * {@code null} when neither side beats: a session without heart-beats holds no
	 * monitor.
	 */
	static @Nullable HeartBeatMonitor negotiate(StompSession session, long clientSends, long clientWants) {
		long serverSends = session.broker().settings().getHeartbeatSend().toMillis();
		long serverWants = session.broker().settings().getHeartbeatReceive().toMillis();
		long send = (serverSends == 0 || clientWants == 0) ? 0 : Math.max(serverSends, clientWants);
		long receive = (serverWants == 0 || clientSends == 0) ? 0 : Math.max(serverWants, clientSends);
		return (send > 0 || receive > 0) ? new HeartBeatMonitor(session, (int) Math.min(send, Integer.MAX_VALUE),
				(int) Math.min(receive, Integer.MAX_VALUE)) : null;
	}

	/**
	 * Bytes arrived from the client, or the client could not be read meanwhile: either
	 * way its silence so far is not held against it.
	 */
	void read() {
		this.lastReadNanos = System.nanoTime();
	}

	/** A frame goes to the client: it counts as a beat. */
	void wrote() {
		if (this.sendIntervalMillis > 0) {
			this.lastWriteNanos = System.nanoTime();
		}
	}

	/** The session ended: no more checks. */
	void stop() {
		this.task.cancel(false);
	}

	/** The negotiated interval at which the broker beats, in millis; 0 for none. */
	long sendIntervalMillis() {
		return this.sendIntervalMillis;
	}

	/** The negotiated interval within which the client must show it is alive. */
	long receiveIntervalMillis() {
		return this.receiveIntervalMillis;
	}

	/** The check, on the broker's scheduler. */
	@Override
	public void run() {
		long now = System.nanoTime();
		if (this.receiveIntervalMillis > 0 && !this.session.isReadingSuspended()) {
			long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - this.lastReadNanos);
			if (silentMillis > this.receiveIntervalMillis
					* this.session.broker().settings().getHeartbeatGraceFactor()) {
				this.session.heartBeatTimedOut(silentMillis, this.receiveIntervalMillis);
				return;
			}
		}
		// Beat when the next check would come too late to keep the gap under the
		// interval.
		if (this.sendIntervalMillis > 0
				&& TimeUnit.NANOSECONDS.toMillis(now - this.lastWriteNanos) >= this.sendIntervalMillis / 2) {
			this.lastWriteNanos = now;
			this.session.sink().sendHeartbeat();
		}
	}

}
