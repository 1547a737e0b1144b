package io.github.stompspringboot.demo.chat;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Room names and the topic each room is: room {@code general} is
 * {@code /topic/chat.general}, the destination that pages, telnet and PHP all subscribe
 * and send to.
 */
final class Rooms {

	static final String TOPIC_PREFIX = "/topic/chat.";

	/** Lower case letters, digits and dashes: safe in a destination and in a URL. */
	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

	private Rooms() {
	}

	static boolean isValidName(@Nullable String room) {
		return room != null && NAME.matcher(room).matches();
	}

	static String requireValidName(@Nullable String room) {
		if (!isValidName(room)) {
			throw new ChatException("A room name is 1 to 32 lower case letters, digits or dashes, like 'general'");
		}
		return room;
	}

	static String topic(String room) {
		return TOPIC_PREFIX + room;
	}

	/** The room a destination such as {@code /topic/chat.general} is, or {@code null}. */
	static @Nullable String fromDestination(@Nullable String destination) {
		if (destination == null || !destination.startsWith(TOPIC_PREFIX)) {
			return null;
		}
		String room = destination.substring(TOPIC_PREFIX.length());
		return (isValidName(room) ? room : null);
	}

}
