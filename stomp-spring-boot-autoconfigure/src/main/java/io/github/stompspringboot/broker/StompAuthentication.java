package io.github.stompspringboot.broker;

import java.time.Duration;

/**
 * What a {@link StompAuthenticator} decided about a CONNECT: who the client is, or that
 * it is refused, and how long the broker waits before saying so (a delay that grows with
 * repeated failures slows down password guessing without holding any thread).
 */
public final class StompAuthentication {

	private final StompIdentity identity;

	private final Duration refusalDelay;

	private final String refusalReason;

	private StompAuthentication(StompIdentity identity, Duration refusalDelay, String refusalReason) {
		this.identity = identity;
		this.refusalDelay = refusalDelay;
		this.refusalReason = refusalReason;
	}

	public static StompAuthentication granted(StompIdentity identity) {
		return new StompAuthentication(identity, null, null);
	}

	public static StompAuthentication refused(Duration delay) {
		return refused(delay, "wrong login or passcode");
	}

	/**
	 * @param reason why, for the broker's log and security events (the client is told
	 * only "access refused", whatever the reason)
	 */
	public static StompAuthentication refused(Duration delay, String reason) {
		return new StompAuthentication(null, delay.isNegative() ? Duration.ZERO : delay, reason);
	}

	public boolean isGranted() {
		return this.identity != null;
	}

	/** The authenticated identity; {@code null} when refused. */
	public StompIdentity identity() {
		return this.identity;
	}

	/** Why the CONNECT was refused; {@code null} when granted. */
	public String refusalReason() {
		return this.refusalReason;
	}

	/**
	 * How long to wait before the refusal's ERROR frame and close; {@code null} when
	 * granted.
	 */
	public Duration refusalDelay() {
		return this.refusalDelay;
	}

}
