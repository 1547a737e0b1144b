package io.github.stompspringboot.demo.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The last messages of each room, for people who join late. Kept in memory: a restart
 * forgets them. Bounded twice: {@code chat.history-size} messages per room and
 * {@code chat.max-rooms} rooms (the room nobody spoke in for longest is forgotten first).
 */
@Component
public class ChatHistory {

	private final int historySize;

	private final Map<String, Deque<ChatMessage>> rooms;

	public ChatHistory(ChatProperties properties) {
		this.historySize = properties.getHistorySize();
		int maxRooms = properties.getMaxRooms();
		this.rooms = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Deque<ChatMessage>> eldest) {
				return size() > maxRooms;
			}

		};
	}

	public synchronized void add(ChatMessage message) {
		if (this.historySize <= 0) {
			return;
		}
		Deque<ChatMessage> messages = this.rooms.computeIfAbsent(message.room(), (room) -> new ArrayDeque<>());
		if (messages.size() == this.historySize) {
			messages.removeFirst();
		}
		messages.addLast(message);
	}

	/** The room's recent messages, oldest first. */
	public synchronized List<ChatMessage> recent(String room) {
		Deque<ChatMessage> messages = this.rooms.get(room);
		return (messages != null ? new ArrayList<>(messages) : List.of());
	}

}
