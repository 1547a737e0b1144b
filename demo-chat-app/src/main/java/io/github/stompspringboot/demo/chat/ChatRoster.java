package io.github.stompspringboot.demo.chat;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpSubscription;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.AbstractSubProtocolEvent;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

/**
 * Who is online and who is in which room, read from Spring's {@link SimpUserRegistry}:
 * the users of this instance's browser sessions and, in relay mode with several
 * instances, those of the other instances too (Spring's user registry broadcast). Every
 * change is broadcast on {@code /topic/presence} and {@code /topic/rooms}; a page that
 * subscribes late asks for the current state with {@code /app/presence} and
 * {@code /app/rooms}.
 * <p>
 * A change here (connected, subscribed, unsubscribed, disconnected, which also covers a
 * closed tab or a dropped network) is broadcast at once; a change on another instance
 * shows up in the registry later and is broadcast once noticed, by a check every
 * {@code chat.presence-check}. One person may have several tabs open, on any instance:
 * they are online until their last one goes.
 */
@Component
public class ChatRoster implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ChatRoster.class);

	/**
	 * What a page is told about who is online. Versions are milliseconds since the epoch
	 * (made to grow by one at least), so that pages can keep the newest of the snapshots
	 * that any instance sends.
	 */
	public record Presence(long version, List<String> online, @Nullable String joined, @Nullable String left) {
	}

	/** One entry of the room list. */
	public record Room(String name, List<String> people) {
	}

	/** What a page is told about the rooms. */
	public record RoomList(long version, List<Room> rooms) {
	}

	private final SimpMessagingTemplate messaging;

	private final SimpUserRegistry users;

	private final TaskScheduler scheduler;

	private final Duration checkInterval;

	private final List<String> listedRooms;

	/**
	 * This instance's browser sessions and their users, to name who left when a session
	 * ends.
	 */
	private final Map<String, String> sessions = new ConcurrentHashMap<>();

	private long version;

	private @Nullable List<String> lastOnline;

	private @Nullable List<Room> lastRooms;

	private volatile @Nullable ScheduledFuture<?> check;

	public ChatRoster(SimpMessagingTemplate messaging, SimpUserRegistry users,
			@Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler, ChatProperties properties) {
		this.messaging = messaging;
		this.users = users;
		this.scheduler = scheduler;
		this.checkInterval = properties.getPresenceCheck();
		this.listedRooms = List.copyOf(new LinkedHashSet<>(properties.getRooms()));
	}

	/**
	 * Runs after Spring's registry saw the same event (ChatWebSocketConfiguration orders
	 * it first), so the registry already counts this session.
	 */
	@EventListener
	public void onConnected(SessionConnectedEvent event) {
		Principal user = event.getUser();
		String sessionId = sessionId(event);
		if (user == null || sessionId == null) {
			return;
		}
		this.sessions.put(sessionId, user.getName());
		SimpUser known = this.users.getUser(user.getName());
		boolean firstTab = known == null || known.getSessions().size() <= 1;
		publish(firstTab ? user.getName() : null, null);
	}

	@EventListener
	public void onSubscribe(SessionSubscribeEvent event) {
		if (Rooms.fromDestination(SimpMessageHeaderAccessor.wrap(event.getMessage()).getDestination()) != null) {
			publish(null, null);
		}
	}

	@EventListener
	public void onUnsubscribe(SessionUnsubscribeEvent event) {
		publish(null, null);
	}

	/** Also called when a tab is closed or its network drops, once Spring notices. */
	@EventListener
	public void onDisconnect(SessionDisconnectEvent event) {
		// DISCONNECT then close may both report the same session: the second finds
		// nothing
		String nickname = this.sessions.remove(event.getSessionId());
		if (nickname != null) {
			publish(null, isOnline(nickname) ? null : nickname);
		}
	}

	public boolean isOnline(String nickname) {
		return this.users.getUser(nickname) != null;
	}

	public synchronized Presence presence() {
		return new Presence(this.version, online(), null, null);
	}

	public synchronized RoomList roomList() {
		return new RoomList(this.version, roomsNow());
	}

	/**
	 * Broadcasts what changed in the registry since the last broadcast, if anything did.
	 */
	void publishChanges() {
		publish(null, null, false);
	}

	private void publish(@Nullable String joined, @Nullable String left) {
		publish(joined, left, true);
	}

	/**
	 * Sent outside the lock: two changes at once may arrive out of order, so each
	 * snapshot carries a version and pages keep the newest.
	 */
	private void publish(@Nullable String joined, @Nullable String left, boolean always) {
		Presence presence = null;
		RoomList rooms = null;
		synchronized (this) {
			List<String> online = online();
			List<Room> roomsNow = roomsNow();
			boolean onlineChanged = !online.equals(this.lastOnline);
			boolean roomsChanged = !roomsNow.equals(this.lastRooms);
			if (!always && !onlineChanged && !roomsChanged) {
				return;
			}
			this.version = Math.max(this.version + 1, System.currentTimeMillis());
			if (always || onlineChanged || joined != null || left != null) {
				presence = new Presence(this.version, online, joined, left);
				this.lastOnline = online;
			}
			rooms = new RoomList(this.version, roomsNow);
			this.lastRooms = roomsNow;
		}
		try {
			if (presence != null) {
				this.messaging.convertAndSend("/topic/presence", presence);
			}
			this.messaging.convertAndSend("/topic/rooms", rooms);
		}
		catch (MessagingException ex) {
			// the broker is going away (shutdown, restart, failover): the pages lose
			// their connection too, and ask for the current state when they are back
			forgetLastPublished();
			if (logger.isDebugEnabled()) {
				logger.debug("Presence not broadcast: " + ex.getMessage());
			}
		}
	}

	private synchronized void forgetLastPublished() {
		this.lastOnline = null;
		this.lastRooms = null;
	}

	private List<String> online() {
		Set<String> online = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		this.users.getUsers().forEach((user) -> online.add(user.getName()));
		return List.copyOf(online);
	}

	/**
	 * The configured rooms in their order, then any other room someone is in, by name.
	 */
	private List<Room> roomsNow() {
		Map<String, Set<String>> people = new TreeMap<>();
		this.listedRooms.forEach((room) -> people.put(room, new TreeSet<>(String.CASE_INSENSITIVE_ORDER)));
		for (SimpUser user : this.users.getUsers()) {
			for (SimpSession session : user.getSessions()) {
				for (SimpSubscription subscription : session.getSubscriptions()) {
					String room = Rooms.fromDestination(subscription.getDestination());
					if (room != null) {
						people.computeIfAbsent(room, (name) -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
							.add(user.getName());
					}
				}
			}
		}
		List<Room> rooms = new ArrayList<>(people.size());
		this.listedRooms.forEach((room) -> rooms.add(new Room(room, List.copyOf(people.remove(room)))));
		people.forEach((room, names) -> rooms.add(new Room(room, List.copyOf(names))));
		return rooms;
	}

	private static @Nullable String sessionId(AbstractSubProtocolEvent event) {
		return SimpMessageHeaderAccessor.getSessionId(event.getMessage().getHeaders());
	}

	@Override
	public void start() {
		this.check = this.scheduler.scheduleWithFixedDelay(this::checkQuietly, this.checkInterval);
	}

	private void checkQuietly() {
		try {
			publishChanges();
		}
		catch (RuntimeException ex) {
			// the next check tries again
			if (logger.isDebugEnabled()) {
				logger.debug("Presence check failed: " + ex.getMessage());
			}
		}
	}

	@Override
	public void stop() {
		ScheduledFuture<?> running = this.check;
		if (running != null) {
			running.cancel(false);
		}
		this.check = null;
	}

	@Override
	public boolean isRunning() {
		return this.check != null;
	}

}
