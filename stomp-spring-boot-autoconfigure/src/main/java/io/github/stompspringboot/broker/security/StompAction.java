package io.github.stompspringboot.broker.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an access rule allows, in the words of Apache Apollo's {@code access_rule}.
 */
public enum StompAction {

	/** Open a session (CONNECT or STOMP). */
	CONNECT,

	/** SEND to a destination. */
	SEND,

	/**
	 * SUBSCRIBE to a destination and so receive its messages; also written
	 * {@code subscribe} or {@code consume}.
	 */
	RECEIVE,

	/** Bring a destination into being by its first SEND or SUBSCRIBE. */
	CREATE,

	/** Manage the broker (operations endpoints); no STOMP frame needs it. */
	ADMIN;

	/**
	 * Reads one action as written in configuration: a name of this enum in any case, an
	 * alias ({@code subscribe}, {@code consume}), or {@code *} / {@code all} for every
	 * action.
	 */
	public static Set<StompAction> parse(String text) {
		String name = text.trim().toLowerCase(Locale.ROOT);
		return switch (name) {
			case "*", "all" -> EnumSet.allOf(StompAction.class);
			case "subscribe", "consume" -> EnumSet.of(RECEIVE);
			default -> {
				for (StompAction action : values()) {
					if (action.name().equalsIgnoreCase(name)) {
						yield EnumSet.of(action);
					}
				}
				throw new IllegalArgumentException("Unknown STOMP access rule action '" + text
						+ "'; use connect, send, receive (or subscribe, consume), create, admin or *.");
			}
		};
	}

}
