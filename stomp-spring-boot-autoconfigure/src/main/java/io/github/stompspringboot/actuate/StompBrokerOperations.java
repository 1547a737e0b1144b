package io.github.stompspringboot.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.BrokerMetrics;
import io.github.stompspringboot.broker.Destination;
import io.github.stompspringboot.broker.DestinationType;
import io.github.stompspringboot.broker.QueueDestination;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.broker.Subscription;
import io.github.stompspringboot.broker.TopicDestination;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What an operator can see of the embedded broker and do to it: the {@code stomp}
 * actuator endpoint and the admin page both go through this class, so both show the same
 * numbers and every change is logged the same way, with who made it. Uses no Actuator
 * type.
 */
public class StompBrokerOperations {

	private static final Log logger = LogFactory.getLog(StompBrokerOperations.class);

	/**
	 * Browsing shows at most this many messages at once, and this many characters of a
	 * body.
	 */
	static final int MAX_BROWSE = 1000;

	static final int MAX_BODY_CHARS = 1024;

	private final StompBroker broker;

	public StompBrokerOperations(StompBroker broker) {
		this.broker = broker;
	}

	public StompBroker broker() {
		return this.broker;
	}

	/**
	 * Connections, destinations and totals, as the endpoint's root and the admin page
	 * show them.
	 */
	public Overview overview() {
		return new Overview(Instant.now(), totals(), connections(), destinations());
	}

	public Totals totals() {
		BrokerMetrics metrics = this.broker.metrics();
		Map<String, Map<String, Long>> messages = new LinkedHashMap<>();
		for (BrokerMetrics.MessageEvent event : BrokerMetrics.MessageEvent.values()) {
			Map<String, Long> byKind = new LinkedHashMap<>();
			for (DestinationType kind : DestinationType.values()) {
				byKind.put(kind(kind), metrics.messages(event, kind));
			}
			messages.put(event.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), byKind);
		}
		return new Totals(openConnections(), metrics.connectionsOpened(), metrics.connectionsClosed(),
				metrics.connectionsRefused(), messages, metrics.bytesReceived(), metrics.bytesSent(),
				metrics.errorsSent(), metrics.failedLogins(), this.broker.destinations().all().size());
	}

	/** Open connections by transport. */
	public Map<String, Integer> openConnections() {
		Map<String, Integer> open = new TreeMap<>();
		for (StompSession session : this.broker.sessions()) {
			open.merge(session.transport(), 1, Integer::sum);
		}
		return open;
	}

	public List<ConnectionView> connections() {
		List<ConnectionView> views = new ArrayList<>();
		for (StompSession session : this.broker.sessions()) {
			if (!session.isConnected()) {
				continue;
			}
			List<SubscriptionView> subscriptions = new ArrayList<>();
			int unacked = 0;
			for (Subscription subscription : session.subscriptions()) {
				int count = subscription.unackedCount();
				unacked += count;
				subscriptions.add(new SubscriptionView(subscription.id(), subscription.destination().name(),
						subscription.ackMode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), count));
			}
			String remote = session.remoteAddress();
			// Netty's InetSocketAddress prints as "/127.0.0.1:port" when it has no host
			// name
			remote = (remote != null && remote.startsWith("/")) ? remote.substring(1) : remote;
			views.add(new ConnectionView(session.id(), session.transport(), remote, session.user(),
					session.version().text(), session.heartbeatSendMillis(), session.heartbeatReceiveMillis(),
					subscriptions, unacked, Instant.ofEpochMilli(session.connectedAtMillis()), session.bytesReceived(),
					session.bytesSent()));
		}
		views.sort(Comparator.comparing(ConnectionView::connectedSince).thenComparing(ConnectionView::id));
		return views;
	}

	public List<DestinationView> destinations() {
		List<DestinationView> views = new ArrayList<>();
		for (Destination destination : this.broker.destinations().all()) {
			views.add(view(destination));
		}
		views.sort(Comparator.comparing(DestinationView::name));
		return views;
	}

	private static DestinationView view(Destination destination) {
		List<String> durable = (destination instanceof TopicDestination topic) ? topic.durableSubscriptions()
				: List.of();
		return new DestinationView(destination.name(), kind(destination.type()), destination.depth(),
				destination.consumerCount(), destination.unackedCount(), destination.enqueuedCount(),
				destination.dequeuedCount(), durable, destination.deadLetterQueue());
	}

	static String kind(DestinationType type) {
		return type.name().toLowerCase(java.util.Locale.ROOT);
	}

	/** The first {@code max} messages waiting in a queue, left where they are. */
	public List<MessageView> browse(String destination, int max) {
		if (!(this.broker.destinations().find(destination) instanceof QueueDestination queue)) {
			throw new IllegalArgumentException("No queue named " + destination);
		}
		List<MessageView> views = new ArrayList<>();
		for (BrokerMessage message : queue.browse(Math.max(0, Math.min(max, MAX_BROWSE)))) {
			Map<String, String> headers = new LinkedHashMap<>();
			message.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
			String body = new String(message.body(), StandardCharsets.UTF_8);
			if (body.length() > MAX_BODY_CHARS) {
				body = body.substring(0, MAX_BODY_CHARS) + "…";
			}
			views.add(new MessageView(message.messageId(), headers, body, message.bodyLength(), message.deliveryCount(),
					message.isPersistent()));
		}
		return views;
	}

	/**
	 * Closes a connection; its client gets an ERROR naming the reason.
	 * @return {@code false} if there is no such connection
	 */
	public boolean closeConnection(String connection, String reason, String who) {
		StompSession session = this.broker.session(connection);
		if (session == null) {
			return false;
		}
		logger.info(who + " closed connection " + connection + " (" + session.transport() + ", "
				+ session.remoteAddress() + ", user " + session.user() + ")" + ((reason != null) ? ": " + reason : ""));
		return session.closeByOperator(reason);
	}

	/** Drops what waits in a queue; returns how many messages went. */
	public int purge(String destination, String who) {
		if (!(this.broker.destinations().find(destination) instanceof QueueDestination queue)) {
			throw new IllegalArgumentException("No queue named " + destination);
		}
		int purged = queue.purge();
		logger.info(who + " purged " + purged + " message(s) from " + destination);
		return purged;
	}

	/** Deletes a destination nobody consumes from; {@code false} if there was none. */
	public boolean delete(String destination, String who) {
		boolean deleted = this.broker.destinations().deleteDestination(destination);
		if (deleted) {
			logger.info(who + " deleted destination " + destination);
		}
		return deleted;
	}

	/**
	 * Sends a dead-letter queue's messages back where they came from; returns how many.
	 */
	public int moveDeadLetters(String deadLetterQueue, String who) {
		int moved = this.broker.destinations().moveDeadLetters(deadLetterQueue);
		logger.info(who + " moved " + moved + " message(s) from " + deadLetterQueue
				+ " back to their original destinations");
		return moved;
	}

	/** The whole picture at one moment. */
	public record Overview(Instant time, Totals totals, List<ConnectionView> connections,
			List<DestinationView> destinations) {
	}

	/** Counts since the broker started ({@code messages}: event, then kind). */
	public record Totals(Map<String, Integer> openConnections, Map<String, Long> connectionsOpened,
			Map<String, Long> connectionsClosed, Map<String, Long> connectionsRefused,
			Map<String, Map<String, Long>> messages, long bytesReceived, long bytesSent, Map<String, Long> errorsSent,
			long failedLogins, int destinations) {
	}

	public record ConnectionView(String id, String transport, String remoteAddress, String user, String version,
			long heartbeatSendMillis, long heartbeatReceiveMillis, List<SubscriptionView> subscriptions, int unacked,
			Instant connectedSince, long bytesReceived, long bytesSent) {
	}

	public record SubscriptionView(String id, String destination, String ack, int unacked) {
	}

	public record DestinationView(String name, String kind, int depth, int consumers, int inFlight, long enqueued,
			long dequeued, List<String> durableSubscriptions, String deadLetterQueue) {
	}

	public record MessageView(String messageId, Map<String, String> headers, String body, int bodyBytes,
			int redeliveries, boolean persistent) {
	}

}
