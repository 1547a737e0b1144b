package io.github.stompspringboot.demo.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The recent messages a late joiner sees, and the memory they may take. */
class ChatHistoryTests {

	@Test
	void historyIsBoundedPerRoomAndInRooms() {
		ChatProperties properties = new ChatProperties();
		properties.setHistorySize(2);
		properties.setMaxRooms(2);
		ChatHistory history = new ChatHistory(properties);
		history.add(ChatMessage.inRoom("a", "ada", "1"));
		history.add(ChatMessage.inRoom("a", "ada", "2"));
		history.add(ChatMessage.inRoom("a", "ada", "3"));
		history.add(ChatMessage.inRoom("b", "ada", "b"));
		history.add(ChatMessage.inRoom("c", "ada", "c"));
		assertThat(history.recent("a")).isEmpty();
		assertThat(history.recent("b")).extracting(ChatMessage::text).containsExactly("b");
		assertThat(history.recent("c")).extracting(ChatMessage::text).containsExactly("c");
		history.add(ChatMessage.inRoom("b", "ada", "b2"));
		history.add(ChatMessage.inRoom("b", "ada", "b3"));
		assertThat(history.recent("b")).extracting(ChatMessage::text).containsExactly("b2", "b3");
	}

}
