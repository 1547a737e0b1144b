package io.github.stompspringboot.demo.chat;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A message as every client receives it, as JSON: pages, telnet and PHP alike.
 *
 * @param id unique id, so a page that fetches a room's history twice shows each message
 * once
 * @param type {@code chat} for a room message, {@code private} for a message to one
 * person
 * @param room the room it was said in, or {@code null} for a private message
 * @param nickname who said it, as the server knows them (never what the client claims)
 * @param to the addressee of a private message
 * @param text what was said, shown as text (never as HTML)
 * @param timestamp when the server received it
 */
public record ChatMessage(String id, String type, @Nullable String room, String nickname, @Nullable String to,
		String text, Instant timestamp) {

	static ChatMessage inRoom(String room, String nickname, String text) {
		return new ChatMessage(UUID.randomUUID().toString(), "chat", room, nickname, null, text, Instant.now());
	}

	static ChatMessage privately(String nickname, String to, String text) {
		return new ChatMessage(UUID.randomUUID().toString(), "private", null, nickname, to, text, Instant.now());
	}

}
