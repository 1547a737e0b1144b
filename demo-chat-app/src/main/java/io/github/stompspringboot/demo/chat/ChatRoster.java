package io.github.stompspringboot.demo.chat;

import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.AbstractSubProtocolEvent;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

/**
 * Who is online and who is in which room, from the events Spring publishes for every browser
 * session: connected, subscribed, unsubscribed, disconnected (which also covers a closed tab or a
 * dropped network). Every change is broadcast on {@code /topic/presence} and
 * {@code /topic/rooms}; a page that subscribes late asks for the current state with
 * {@code /app/presence} and {@code /app/rooms}.
 * <p>
 * One person may have several tabs open: they are online until their last tab goes.
 */
@Component
public class ChatRoster {

	private static final Log logger = LogFactory.getLog(ChatRoster.class);

	/** What a page is told about who is online. */
	public record Presence(long version, List<String> online, @Nullable String joined, @Nullable String left) {
	}

	/** One entry of the room list. */
	public record Room(String name, List<String> people) {
	}

	/** What a page is told about the rooms. */
	public record RoomList(long version, List<Room> rooms) {
	}

	private final SimpMessagingTemplate messaging;

	private final List<String> listedRooms;

	/** Per browser session: who it is and which room each of its subscriptions is. */
	private final Map<String, Member> sessions = new HashMap<>();

	private long version;

	public ChatRoster(SimpMessagingTemplate messaging, ChatProperties properties) {
		this.messaging = messaging;
		this.listedRooms = List.copyOf(new LinkedHashSet<>(properties.getRooms()));
	}

	@EventListener
	public void onConnected(SessionConnectedEvent event) {
		Principal user = event.getUser();
		String sessionId = sessionId(event);
		if (user == null || sessionId == null) {
			return;
		}
		Presence presence;
		RoomList rooms;
		synchronized (this) {
			boolean firstTab = !isOnline(user.getName());
			this.sessions.put(sessionId, new Member(user.getName()));
			presence = presence(firstTab ? user.getName() : null, null);
			rooms = rooms();
		}
		publish(presence, rooms);
	}

	@EventListener
	public void onSubscribe(SessionSubscribeEvent event) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(event.getMessage());
		String room = Rooms.fromDestination(accessor.getDestination());
		if (room == null || accessor.getSubscriptionId() == null) {
			return;
		}
		RoomList rooms;
		synchronized (this) {
			Member member = this.sessions.get(accessor.getSessionId());
			if (member == null) {
				return;
			}
			member.rooms.put(accessor.getSubscriptionId(), room);
			rooms = rooms();
		}
		publish(null, rooms);
	}

	@EventListener
	public void onUnsubscribe(SessionUnsubscribeEvent event) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(event.getMessage());
		RoomList rooms;
		synchronized (this) {
			Member member = this.sessions.get(accessor.getSessionId());
			if (member == null || member.rooms.remove(accessor.getSubscriptionId()) == null) {
				return;
			}
			rooms = rooms();
		}
		publish(null, rooms);
	}

	/** Also called when a tab is closed or its network drops, once Spring notices. */
	@EventListener
	public void onDisconnect(SessionDisconnectEvent event) {
		Presence presence;
		RoomList rooms;
		synchronized (this) {
			// DISCONNECT then close may both report the same session: the second finds nothing
			Member member = this.sessions.remove(event.getSessionId());
			if (member == null) {
				return;
			}
			presence = presence(null, isOnline(member.nickname) ? null : member.nickname);
			rooms = rooms();
		}
		publish(presence, rooms);
	}

	public synchronized boolean isOnline(String nickname) {
		return this.sessions.values().stream().anyMatch((member) -> member.nickname.equals(nickname));
	}

	public synchronized Presence presence() {
		return new Presence(this.version, online(), null, null);
	}

	public synchronized RoomList roomList() {
		return new RoomList(this.version, roomsNow());
	}

	private Presence presence(@Nullable String joined, @Nullable String left) {
		return new Presence(++this.version, online(), joined, left);
	}

	private RoomList rooms() {
		return new RoomList(++this.version, roomsNow());
	}

	private List<String> online() {
		Set<String> online = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		this.sessions.values().forEach((member) -> online.add(member.nickname));
		return List.copyOf(online);
	}

	/** The configured rooms in their order, then any other room someone is in, by name. */
	private List<Room> roomsNow() {
		Map<String, Set<String>> people = new TreeMap<>();
		this.listedRooms.forEach((room) -> people.put(room, new TreeSet<>(String.CASE_INSENSITIVE_ORDER)));
		for (Member member : this.sessions.values()) {
			member.rooms.values()
				.forEach((room) -> people.computeIfAbsent(room, (name) -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
					.add(member.nickname));
		}
		List<Room> rooms = new ArrayList<>(people.size());
		this.listedRooms.forEach((room) -> rooms.add(new Room(room, List.copyOf(people.remove(room)))));
		people.forEach((room, names) -> rooms.add(new Room(room, List.copyOf(names))));
		return rooms;
	}

	/**
	 * Sent outside the lock: two changes at once may arrive out of order, so each snapshot
	 * carries a version and pages keep the newest.
	 */
	private void publish(@Nullable Presence presence, RoomList rooms) {
		try {
			if (presence != null) {
				this.messaging.convertAndSend("/topic/presence", presence);
			}
			this.messaging.convertAndSend("/topic/rooms", rooms);
		}
		catch (MessagingException ex) {
			// the broker is going away (shutdown, restart): the pages lose their connection too,
			// and ask for the current state when they are back
			if (logger.isDebugEnabled()) {
				logger.debug("Presence not broadcast: " + ex.getMessage());
			}
		}
	}

	private static @Nullable String sessionId(AbstractSubProtocolEvent event) {
		return SimpMessageHeaderAccessor.getSessionId(event.getMessage().getHeaders());
	}

	private static final class Member {

		final String nickname;

		/** Subscription id to room: an UNSUBSCRIBE names only the subscription id. */
		final Map<String, String> rooms = new HashMap<>();

		Member(String nickname) {
			this.nickname = nickname;
		}

	}

}
