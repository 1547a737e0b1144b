package io.github.stompspringboot.broker.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.stompspringboot.broker.SessionSink;

/**
 * Slows down password guessing: each failed login from an address makes the next refusal
 * from that address wait longer (the initial delay, doubled per failure, up to a
 * maximum); a successful login forgets the address. At most {@code maxAddresses}
 * addresses are remembered, the least recently failing one is forgotten first, so a flood
 * of addresses cannot grow the map. The delay is only a number: the engine waits on its
 * shared timer, never a thread.
 */
public final class LoginFailureThrottle {

	/** Failures older than this no longer count. */
	private static final Duration FORGET_AFTER = Duration.ofMinutes(15);

	private final Duration initialDelay;

	private final Duration maxDelay;

	private final Map<String, Failures> failures;

	public LoginFailureThrottle(Duration initialDelay, Duration maxDelay, int maxAddresses) {
		if (maxAddresses < 1) {
			throw new IllegalArgumentException("maxAddresses must be at least 1");
		}
		this.initialDelay = initialDelay;
		this.maxDelay = maxDelay;
		this.failures = new LinkedHashMap<>(64, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
				return size() > maxAddresses;
			}

		};
	}

	/** A login from the address failed: how long to wait before saying so. */
	public Duration failed(String remoteAddress) {
		String key = hostOf(remoteAddress);
		long now = System.nanoTime();
		int count;
		synchronized (this.failures) {
			Failures previous = this.failures.get(key);
			count = (previous == null || now - previous.lastNanos > FORGET_AFTER.toNanos()) ? 1 : previous.count + 1;
			this.failures.put(key, new Failures(count, now));
		}
		return delayFor(count);
	}

	/** A login from the address succeeded. */
	public void succeeded(String remoteAddress) {
		synchronized (this.failures) {
			this.failures.remove(hostOf(remoteAddress));
		}
	}

	/** How many addresses are remembered now. */
	public int trackedAddresses() {
		synchronized (this.failures) {
			return this.failures.size();
		}
	}

	Duration delayFor(int failureCount) {
		if (this.initialDelay.isZero() || this.initialDelay.isNegative()) {
			return Duration.ZERO;
		}
		int doublings = Math.min(failureCount - 1, 30);
		long millis = this.initialDelay.toMillis() << doublings;
		return (millis <= 0 || millis > this.maxDelay.toMillis()) ? this.maxDelay : Duration.ofMillis(millis);
	}

	/**
	 * {@code /127.0.0.1:54321} and {@code /127.0.0.1:54322} are one client: the port is
	 * dropped.
	 */
	static String hostOf(String remoteAddress) {
		return SessionSink.hostOf(remoteAddress);
	}

	private record Failures(int count, long lastNanos) {
	}

}
