package io.github.stompspringboot.demo.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The chat's own settings, under {@code chat}.
 */
@ConfigurationProperties("chat")
public class ChatProperties {

	/**
	 * Rooms that are always listed, even when nobody is in them. The first one is where a
	 * new visitor lands.
	 */
	private List<String> rooms = new ArrayList<>(List.of("general", "random", "help"));

	/**
	 * How many recent messages of a room a late joiner is shown.
	 */
	private int historySize = 50;

	/**
	 * Longest message text accepted, in characters.
	 */
	private int maxMessageLength = 2000;

	/**
	 * Most rooms the chat keeps at once (listed rooms and their recent messages).
	 */
	private int maxRooms = 100;

	/**
	 * How often the chat looks for people who joined or left on other instances of the
	 * application (relay mode), to tell the pages here.
	 */
	private Duration presenceCheck = Duration.ofSeconds(1);

	public List<String> getRooms() {
		return this.rooms;
	}

	public void setRooms(List<String> rooms) {
		this.rooms = rooms;
	}

	public int getHistorySize() {
		return this.historySize;
	}

	public void setHistorySize(int historySize) {
		this.historySize = historySize;
	}

	public int getMaxMessageLength() {
		return this.maxMessageLength;
	}

	public void setMaxMessageLength(int maxMessageLength) {
		this.maxMessageLength = maxMessageLength;
	}

	public Duration getPresenceCheck() {
		return this.presenceCheck;
	}

	public void setPresenceCheck(Duration presenceCheck) {
		this.presenceCheck = presenceCheck;
	}

	public int getMaxRooms() {
		return this.maxRooms;
	}

	public void setMaxRooms(int maxRooms) {
		this.maxRooms = maxRooms;
	}

}
