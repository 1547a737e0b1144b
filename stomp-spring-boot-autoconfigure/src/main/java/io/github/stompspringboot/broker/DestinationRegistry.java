package io.github.stompspringboot.broker;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Finds or creates the destination a frame names. Whether a name is a queue or a topic
 * comes from its prefix ({@code /queue/}, {@code /topic/}); a name with neither takes the
 * configured default, a queue, as the seed documents use bare names such as
 * {@code testSTOMP}. Temporary queues ({@value #TEMP_QUEUE_PREFIX}) and durable
 * subscription queues ({@value #DURABLE_PREFIX}) are always queues. It also applies the
 * per-destination policies (persistence, time-to-live) and moves expired messages to the
 * expiry queue.
 */
public final class DestinationRegistry {

	private static final Log logger = LogFactory.getLog(DestinationRegistry.class);

	/**
	 * Broker-wide names of temporary queues, as {@code reply-to} headers are rewritten
	 * to.
	 */
	public static final String TEMP_QUEUE_PREFIX = "/remote-temp-queue/";

	/** Names of the queues that keep durable topic subscriptions' messages. */
	public static final String DURABLE_PREFIX = "/durable-subscription/";

	private final ConcurrentHashMap<String, Destination> destinations = new ConcurrentHashMap<>();

	private final List<String> queuePrefixes;

	private final List<String> topicPrefixes;

	private final DestinationType defaultType;

	private final BrokerSettings settings;

	private final String userDestinationSuffix;

	/** How many ended relayed sessions are remembered, for messages sent to them late. */
	static final int ENDED_SESSIONS_REMEMBERED = 10_000;

	/**
	 * Relay session ids whose sessions ended, most recent last: a message that reaches
	 * one of their queues afterwards (the application's user registry lags a moment) is
	 * dropped rather than kept forever.
	 */
	private final Set<String> endedSessions = Collections
		.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > ENDED_SESSIONS_REMEMBERED;
			}
		}));

	/**
	 * Names of the queues and topics of each relayed session, by the relay's session id.
	 */
	private final ConcurrentHashMap<String, Set<String>> sessionQueues = new ConcurrentHashMap<>();

	private final MessageStore store;

	private final String expiryQueue;

	private final BrokerMetrics metrics;

	DestinationRegistry(BrokerSettings settings, MessageStore store) {
		this(settings, store, new BrokerMetrics());
	}

	DestinationRegistry(BrokerSettings settings, MessageStore store, BrokerMetrics metrics) {
		this.metrics = metrics;
		this.settings = settings;
		this.queuePrefixes = settings.getQueuePrefixes();
		this.topicPrefixes = settings.getTopicPrefixes();
		this.defaultType = settings.getDefaultDestinationType();
		String suffix = settings.getUserDestinationSuffix();
		this.userDestinationSuffix = (suffix != null && !suffix.isEmpty()) ? suffix : null;
		this.store = store;
		String expiry = settings.getExpiryQueue();
		this.expiryQueue = (expiry != null && !expiry.isBlank()) ? expiry : null;
	}

	public Destination resolve(String name) {
		Destination existing = this.destinations.get(name);
		return (existing != null) ? existing : this.destinations.computeIfAbsent(name, this::create);
	}

	/** The destination if it exists already, without creating it. */
	public Destination find(String name) {
		return this.destinations.get(name);
	}

	/**
	 * Messages waiting in the named destination; 0 if it does not exist, as an unused
	 * queue is reclaimed.
	 */
	public int depth(String name) {
		Destination destination = this.destinations.get(name);
		return (destination != null) ? destination.depth() : 0;
	}

	public Collection<Destination> all() {
		return this.destinations.values();
	}

	public DestinationType typeOf(String name) {
		if (name.startsWith(TEMP_QUEUE_PREFIX) || name.startsWith(DURABLE_PREFIX)) {
			return DestinationType.QUEUE;
		}
		for (String prefix : this.topicPrefixes) {
			if (name.startsWith(prefix)) {
				return DestinationType.TOPIC;
			}
		}
		for (String prefix : this.queuePrefixes) {
			if (name.startsWith(prefix)) {
				return DestinationType.QUEUE;
			}
		}
		return this.defaultType;
	}

	MessageStore store() {
		return this.store;
	}

	BrokerMetrics metrics() {
		return this.metrics;
	}

	/**
	 * An operator deletes a destination: a queue with what waits in it, a topic without
	 * subscribers. Refused (with the reason) while anyone consumes from it, as their
	 * subscriptions would silently go dead.
	 * @return {@code false} if there is no such destination
	 * @throws IllegalStateException if it has consumers or durable subscriptions
	 */
	public boolean deleteDestination(String name) {
		Destination destination = find(name);
		if (destination == null) {
			return false;
		}
		if (destination.consumerCount() > 0) {
			throw new IllegalStateException(
					name + " has " + destination.consumerCount() + " consumer(s); close their connections first");
		}
		if (destination instanceof TopicDestination topic) {
			if (!topic.durableSubscriptions().isEmpty()) {
				throw new IllegalStateException(
						name + " has durable subscriptions " + topic.durableSubscriptions() + "; delete those first");
			}
			remove(topic);
			return true;
		}
		if (name.startsWith(DURABLE_PREFIX)) {
			removeDurableSubscription(name);
			return true;
		}
		this.destinations.remove(name, destination);
		((QueueDestination) destination).delete();
		return true;
	}

	/**
	 * Sends the messages of a dead-letter queue back to the destinations they came from
	 * ({@code dlq-original-destination}), as new deliveries with their redelivery count
	 * reset; messages without that header stay. Returns how many moved.
	 */
	public int moveDeadLetters(String deadLetterQueue) {
		if (!(find(deadLetterQueue) instanceof QueueDestination queue)) {
			return 0;
		}
		List<BrokerMessage> moved = queue.take((message) -> message.header("dlq-original-destination") != null);
		for (BrokerMessage message : moved) {
			String original = message.header("dlq-original-destination");
			Map<String, List<String>> headers = new LinkedHashMap<>(message.headers());
			headers.keySet().removeIf((header) -> header.startsWith("dlq-"));
			resolve(original).publish(message.movedTo(original, headers), null);
		}
		// Only now: a crash in between leaves a stored copy in both places rather than in
		// neither.
		queue.acknowledged(moved);
		if (!moved.isEmpty()) {
			logger.info(moved.size() + " message(s) of " + deadLetterQueue + " moved back to their destinations");
		}
		return moved.size();
	}

	/** Whether every message to this destination is persistent. */
	boolean isPersistent(String destination) {
		return settingsOf(destination).persistent();
	}

	/** The destination's time-to-live in millis, 0 for none. */
	long timeToLiveMillis(String destination) {
		return settingsOf(destination).timeToLive().toMillis();
	}

	/**
	 * The settings of a destination: those it was created with, so the patterns are
	 * matched once per destination, not once per message.
	 */
	private DestinationSettings settingsOf(String name) {
		Destination existing = this.destinations.get(name);
		return (existing != null) ? existing.settings() : this.settings.destinationSettings(name);
	}

	/**
	 * A message expired before anyone took it: it leaves the store and goes to the expiry
	 * queue, if any.
	 */
	void expired(Destination from, BrokerMessage message) {
		this.metrics.message(BrokerMetrics.MessageEvent.EXPIRED, from.type());
		if (message.storeId() != 0) {
			this.store.remove(message.storeId());
		}
		if (this.expiryQueue == null || from.name().equals(this.expiryQueue)) {
			if (logger.isDebugEnabled()) {
				logger.debug("Message " + message.messageId() + " on " + from.name() + " expired; dropped");
			}
			return;
		}
		Map<String, List<String>> headers = new LinkedHashMap<>(message.headers());
		headers.put("original-destination", List.of(message.destination()));
		headers.remove("expires");
		resolve(this.expiryQueue).publish(message.movedTo(this.expiryQueue, headers), null);
	}

	/**
	 * Removes a queue that belongs to someone (a closed connection's temporary queue, an
	 * ended durable subscription) with everything it still holds.
	 */
	void delete(String name) {
		Destination removed = this.destinations.remove(name);
		if (removed instanceof QueueDestination queue) {
			queue.delete();
		}
	}

	/**
	 * Binds a durable subscription's queue to its topic, creating the queue if this is
	 * the subscription's first SUBSCRIBE.
	 */
	QueueDestination durableSubscription(String queueName, String topic, MessageSelector selector) {
		QueueDestination queue = (QueueDestination) resolve(queueName);
		if (resolve(topic) instanceof TopicDestination target) {
			target.bind(queue, selector);
		}
		return queue;
	}

	void removeDurableSubscription(String queueName) {
		if (find(queueName) instanceof QueueDestination queue) {
			for (Destination destination : this.destinations.values()) {
				if (destination instanceof TopicDestination topic) {
					topic.unbind(queue);
				}
			}
		}
		delete(queueName);
		this.store.removeDurableSubscription(queueName);
	}

	/**
	 * Brings back what a durable store kept: durable subscriptions, then queued messages.
	 */
	void recover() {
		this.store.recover(new MessageStore.Recovery() {

			@Override
			public void durableSubscription(MessageStore.DurableSubscriptionRecord record) {
				MessageSelector selector = null;
				if (record.selector() != null) {
					try {
						selector = MessageSelector.parse(record.selector());
					}
					catch (MessageSelector.InvalidSelectorException ex) {
						logger.warn("Durable subscription " + record.queue() + " has a selector that no longer parses: "
								+ ex.getMessage());
					}
				}
				DestinationRegistry.this.durableSubscription(record.queue(), record.topic(), selector);
			}

			@Override
			public void message(String queue, BrokerMessage message) {
				if (queue.startsWith(TEMP_QUEUE_PREFIX)) {
					// its connection, and so the queue, is gone
					store.remove(message.storeId());
				}
				else if (resolve(queue) instanceof QueueDestination destination) {
					destination.recover(message);
				}
				else {
					store.remove(message.storeId());
				}
			}

		});
	}

	private Destination create(String name) {
		DestinationSettings destinationSettings = this.settings.destinationSettings(name);
		String deadLetterQueue = deadLetterQueueFor(name, destinationSettings.deadLetterQueue());
		if (typeOf(name) == DestinationType.TOPIC) {
			// A relayed session's own topic (/user/topic/x) goes with the session, like
			// its queues.
			String session = userSessionOf(name);
			if (session != null && !this.endedSessions.contains(session)) {
				this.sessionQueues.computeIfAbsent(session, (key) -> ConcurrentHashMap.newKeySet()).add(name);
			}
			return new TopicDestination(name, this, destinationSettings, deadLetterQueue);
		}
		// A durable subscription's or a temporary queue's queue is deleted by its owner,
		// not reclaimed when idle.
		boolean reclaimable = !name.startsWith(TEMP_QUEUE_PREFIX) && !name.startsWith(DURABLE_PREFIX);
		String session = userSessionOf(name);
		if (session != null) {
			// Checked again after indexing: deleteSessionQueues marks the session ended
			// before it reads the index, so a queue made meanwhile is either found there
			// or orphaned here.
			if (!this.endedSessions.contains(session)) {
				this.sessionQueues.computeIfAbsent(session, (key) -> ConcurrentHashMap.newKeySet()).add(name);
				if (!this.endedSessions.contains(session)) {
					return new QueueDestination(name, this, destinationSettings, deadLetterQueue, false, reclaimable);
				}
				unindex(session, name);
			}
			return new QueueDestination(name, this, destinationSettings, deadLetterQueue, true, reclaimable);
		}
		return new QueueDestination(name, this, destinationSettings, deadLetterQueue, false, reclaimable);
	}

	/** The session id a user destination's queue name ends with, or {@code null}. */
	private String userSessionOf(String name) {
		if (this.userDestinationSuffix == null) {
			return null;
		}
		int index = name.lastIndexOf(this.userDestinationSuffix);
		int start = index + this.userDestinationSuffix.length();
		return (index > 0 && start < name.length()) ? name.substring(start) : null;
	}

	/**
	 * Takes a reclaimed queue out; only this instance, never one that took its name
	 * since.
	 */
	void remove(Destination destination) {
		if (this.destinations.remove(destination.name(), destination)) {
			String session = userSessionOf(destination.name());
			if (session != null) {
				unindex(session, destination.name());
			}
		}
	}

	private void unindex(String session, String name) {
		this.sessionQueues.computeIfPresent(session, (key, names) -> {
			names.remove(name);
			return names.isEmpty() ? null : names;
		});
	}

	/**
	 * A relayed session ended: its user-destination queues
	 * ({@code /queue/x-user<sessionId>}) go, with the messages no one will read now, and
	 * so do its idle user-destination topics.
	 */
	void deleteSessionQueues(String relaySessionId) {
		this.endedSessions.add(relaySessionId);
		Set<String> names = this.sessionQueues.remove(relaySessionId);
		if (names == null) {
			return;
		}
		for (String name : names) {
			// Waits for a queue of that name still being made, where get would miss it.
			Destination destination = this.destinations.computeIfPresent(name, (key, existing) -> existing);
			if (destination instanceof QueueDestination queue) {
				queue.deleteIfUnconsumed();
			}
			else if (destination instanceof TopicDestination topic && topic.isIdle()) {
				remove(topic);
			}
		}
	}

	/**
	 * The dead-letter queue of a destination: the template with {@code {name}} replaced
	 * by the name without its prefix ({@code /queue/orders} ->
	 * {@code /queue/DLQ.orders}). A name the template could have produced is a
	 * dead-letter queue itself and gets none, so a message never wanders from one
	 * dead-letter queue to the next.
	 */
	String deadLetterQueueFor(String name, String template) {
		if (template == null || template.isEmpty()) {
			return null;
		}
		int placeholder = template.indexOf("{name}");
		if (placeholder < 0) {
			return name.equals(template) ? null : template;
		}
		String literalPrefix = template.substring(0, placeholder);
		String literalSuffix = template.substring(placeholder + "{name}".length());
		if (name.startsWith(literalPrefix) && name.endsWith(literalSuffix)
				&& name.length() > literalPrefix.length() + literalSuffix.length()
				&& !(literalSuffix.isEmpty() && isPlainPrefix(literalPrefix))) {
			return null;
		}
		return literalPrefix + withoutPrefix(name) + literalSuffix;
	}

	/**
	 * A template such as {@code /queue/{name}} would make every queue its own dead-letter
	 * queue's twin.
	 */
	private boolean isPlainPrefix(String literal) {
		return this.queuePrefixes.contains(literal) || this.topicPrefixes.contains(literal) || literal.isEmpty();
	}

	private String withoutPrefix(String name) {
		for (String prefix : this.queuePrefixes) {
			if (name.startsWith(prefix)) {
				return name.substring(prefix.length());
			}
		}
		for (String prefix : this.topicPrefixes) {
			if (name.startsWith(prefix)) {
				return name.substring(prefix.length());
			}
		}
		return name;
	}

}
