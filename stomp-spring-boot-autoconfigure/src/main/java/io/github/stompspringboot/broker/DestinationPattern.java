package io.github.stompspringboot.broker;

import org.springframework.util.AntPathMatcher;

/**
 * The one pattern rule of every destination setting: access rules, destination policies,
 * persistent destinations and time-to-live. Both {@code /} and {@code .} separate
 * segments, as destinations are named either way ({@code /queue/orders.eu},
 * {@code /topic/chat/general}): {@code *} matches within one segment
 * ({@code /queue/orders.*} matches {@code /queue/orders.eu}, not
 * {@code /queue/orders.eu.paris}), {@code **} any number of segments
 * ({@code /queue/orders.**}, {@code /topic/**}). This is ActiveMQ's and RabbitMQ's dotted
 * wildcard shape written as Spring's Ant patterns.
 */
public final class DestinationPattern {

	private static final AntPathMatcher matcher = new AntPathMatcher("/");

	private final String pattern;

	private final String segmented;

	private DestinationPattern(String pattern) {
		this.pattern = pattern;
		this.segmented = segmented(pattern);
	}

	public static DestinationPattern of(String pattern) {
		if (pattern == null || pattern.isBlank()) {
			throw new IllegalArgumentException("A destination pattern must not be empty");
		}
		return new DestinationPattern(pattern);
	}

	public boolean matches(String destination) {
		return destination != null && matcher.match(this.segmented, segmented(destination));
	}

	private static String segmented(String name) {
		return name.replace('.', '/');
	}

	@Override
	public String toString() {
		return this.pattern;
	}

}
