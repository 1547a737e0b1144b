package io.github.stompspringboot.broker;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One session's heart-beats: the intervals its CONNECT negotiated, when the client was
 * last heard from and last written to, and the check on the broker's shared scheduler
 * that beats when the broker was quiet and finds a client that went silent (as Spring's
 * simple broker and Artemis keep them beside their sessions). Taking the session's lock
 * to end it is the session's own business: {@link StompSession#heartBeatTimedOut}.
 */
final class HeartBeatMonitor {

	private final StompSession session;

	private final SessionSink sink;

	private final StompBroker broker;

	private volatile long lastReadNanos = System.nanoTime();

	private volatile long lastWriteNanos = System.nanoTime();

	/** Set once, under the session's lock, before the CONNECTED frame is written. */
	private long sendIntervalMillis;

	private long receiveIntervalMillis;

	private ScheduledFuture<?> task;

	HeartBeatMonitor(StompSession session, SessionSink sink, StompBroker broker) {
		this.session = session;
		this.sink = sink;
		this.broker = broker;
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

	/**
	 * The spec's rule: each side beats at the slower of what one offers and the other
	 * asks for, and not at all if either says 0. Starts the check if either side beats.
	 */
	void negotiate(long clientSends, long clientWants) {
		long serverSends = this.broker.settings().getHeartbeatSend().toMillis();
		long serverWants = this.broker.settings().getHeartbeatReceive().toMillis();
		this.sendIntervalMillis = (serverSends == 0 || clientWants == 0) ? 0 : Math.max(serverSends, clientWants);
		this.receiveIntervalMillis = (serverWants == 0 || clientSends == 0) ? 0 : Math.max(serverWants, clientSends);
		long period = Long.MAX_VALUE;
		if (this.sendIntervalMillis > 0) {
			period = this.sendIntervalMillis / 2;
		}
		if (this.receiveIntervalMillis > 0) {
			period = Math.min(period, this.receiveIntervalMillis / 2);
		}
		if (period != Long.MAX_VALUE) {
			period = Math.max(period, 1);
			this.task = this.broker.scheduler().scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
		}
	}

	/** The session ended: no more checks. */
	void stop() {
		if (this.task != null) {
			this.task.cancel(false);
		}
	}

	/** The negotiated interval at which the broker beats, in millis; 0 for none. */
	long sendIntervalMillis() {
		return this.sendIntervalMillis;
	}

	/** The negotiated interval within which the client must show it is alive. */
	long receiveIntervalMillis() {
		return this.receiveIntervalMillis;
	}

	private void check() {
		long now = System.nanoTime();
		if (this.receiveIntervalMillis > 0 && !this.session.isReadingSuspended()) {
			long silentMillis = TimeUnit.NANOSECONDS.toMillis(now - this.lastReadNanos);
			if (silentMillis > this.receiveIntervalMillis * this.broker.settings().getHeartbeatGraceFactor()) {
				this.session.heartBeatTimedOut(silentMillis, this.receiveIntervalMillis);
				return;
			}
		}
		// Beat when the next check would come too late to keep the gap under the
		// interval.
		if (this.sendIntervalMillis > 0
				&& TimeUnit.NANOSECONDS.toMillis(now - this.lastWriteNanos) >= this.sendIntervalMillis / 2) {
			this.lastWriteNanos = now;
			this.sink.sendHeartbeat();
		}
	}

}
