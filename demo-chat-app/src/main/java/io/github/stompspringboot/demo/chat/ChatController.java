package io.github.stompspringboot.demo.chat;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.messaging.simp.annotation.SubscribeMapping;
import org.springframework.stereotype.Controller;

/**
 * What pages send to {@code /app/...}. The server, not the page, says who sent a message
 * and when, then hands it to the broker: every subscriber of the room gets it, whether a
 * page, a telnet session or a PHP script.
 */
@Controller
public class ChatController {

	/** What a page sends to {@code /app/chat.{room}}. */
	public record ChatInput(@Nullable String text) {
	}

	/** What a page sends to {@code /app/private}. */
	public record PrivateInput(@Nullable String to, @Nullable String text) {
	}

	private final SimpMessagingTemplate messaging;

	private final ChatHistory history;

	private final ChatRoster roster;

	private final int maxMessageLength;

	public ChatController(SimpMessagingTemplate messaging, ChatHistory history, ChatRoster roster,
			ChatProperties properties) {
		this.messaging = messaging;
		this.history = history;
		this.roster = roster;
		this.maxMessageLength = properties.getMaxMessageLength();
	}

	/** A message to a room, broadcast to everyone in it through the broker. */
	@MessageMapping("chat.{room}")
	@SendTo("/topic/chat.{room}")
	public ChatMessage say(@DestinationVariable String room, @Payload ChatInput input, Principal user) {
		ChatMessage message = ChatMessage.inRoom(Rooms.requireValidName(room), user.getName(), text(input.text()));
		this.history.add(message);
		return message;
	}

	/** The recent messages of a room, sent once to the page that subscribes here. */
	@SubscribeMapping("history.{room}")
	public List<ChatMessage> history(@DestinationVariable String room) {
		return this.history.recent(Rooms.requireValidName(room));
	}

	/**
	 * A message for one person: each of their tabs gets it on
	 * {@code /user/queue/private}, and so does the sender, so both see the conversation.
	 */
	@MessageMapping("private")
	public void whisper(@Payload PrivateInput input, Principal user) {
		String to = input.to();
		if (to == null || !this.roster.isOnline(to)) {
			throw new ChatException("Nobody called '" + to + "' is online");
		}
		ChatMessage message = ChatMessage.privately(user.getName(), to, text(input.text()));
		this.messaging.convertAndSendToUser(to, "/queue/private", message);
		if (!to.equals(user.getName())) {
			this.messaging.convertAndSendToUser(user.getName(), "/queue/private", message);
		}
	}

	@SubscribeMapping("presence")
	public ChatRoster.Presence presence() {
		return this.roster.presence();
	}

	@SubscribeMapping("rooms")
	public ChatRoster.RoomList rooms() {
		return this.roster.roomList();
	}

	/** Tells only the tab that did it what went wrong. */
	@MessageExceptionHandler(ChatException.class)
	@SendToUser(destinations = "/queue/errors", broadcast = false)
	public Map<String, String> refused(ChatException ex) {
		return Map.of("message", ex.getMessage());
	}

	private String text(@Nullable String text) {
		String trimmed = (text != null ? text.strip() : "");
		if (trimmed.isEmpty()) {
			throw new ChatException("Type something to send");
		}
		if (trimmed.length() > this.maxMessageLength) {
			throw new ChatException(
					"A message is at most " + this.maxMessageLength + " characters; this one has " + trimmed.length());
		}
		return trimmed;
	}

}
