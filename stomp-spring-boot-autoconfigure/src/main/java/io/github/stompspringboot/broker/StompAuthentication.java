package io.github.stompspringboot.broker;

import java.time.Duration;

/**
 * What a {@link StompAuthenticator} decided about a CONNECT: who the client is, or that it is
 * refused, and how long the broker waits before saying so (a delay that grows with repeated
 * failures slows down password guessing without holding any thread).
 */
public final class StompAuthentication {

	private final StompIdentity identity;

	private final Duration refusalDelay;

	private StompAuthentication(StompIdentity identity, Duration refusalDelay) {
		this.identity = identity;
		this.refusalDelay = refusalDelay;
	}

	public static StompAuthentication granted(StompIdentity identity) {
		return new StompAuthentication(identity, null);
	}

	public static StompAuthentication refused(Duration delay) {
		return new StompAuthentication(null, delay.isNegative() ? Duration.ZERO : delay);
	}

	public boolean isGranted() {
		return this.identity != null;
	}

	/** The authenticated identity; {@code null} when refused. */
	public StompIdentity identity() {
		return this.identity;
	}

	/** How long to wait before the refusal's ERROR frame and close; {@code null} when granted. */
	public Duration refusalDelay() {
		return this.refusalDelay;
	}

}
