package io.github.stompspringboot.broker;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds or creates the destination a frame names. Whether a name is a queue or a topic
 * comes from its prefix ({@code /queue/}, {@code /topic/}); a name with neither takes the
 * configured default, a queue, as the seed documents use bare names such as {@code testSTOMP}.
 */
public final class DestinationRegistry {

	private final ConcurrentHashMap<String, Destination> destinations = new ConcurrentHashMap<>();

	private final List<String> queuePrefixes;

	private final List<String> topicPrefixes;

	private final DestinationType defaultType;

	private final BrokerSettings settings;

	private final String userDestinationSuffix;

	/** How many ended relayed sessions are remembered, for messages sent to them late. */
	static final int ENDED_SESSIONS_REMEMBERED = 10_000;

	/**
	 * Relay session ids whose sessions ended, most recent last: a message that reaches one of
	 * their queues afterwards (the application's user registry lags a moment) is dropped
	 * rather than kept forever.
	 */
	private final Set<String> endedSessions = Collections.synchronizedSet(Collections.newSetFromMap(
			new LinkedHashMap<>(16, 0.75f, false) {
				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
					return size() > ENDED_SESSIONS_REMEMBERED;
				}
			}));

	/** Names of the queues of each relayed session, by the relay's session id. */
	private final ConcurrentHashMap<String, Set<String>> sessionQueues = new ConcurrentHashMap<>();

	DestinationRegistry(BrokerSettings settings) {
		this.settings = settings;
		this.queuePrefixes = settings.getQueuePrefixes();
		this.topicPrefixes = settings.getTopicPrefixes();
		this.defaultType = settings.getDefaultDestinationType();
		String suffix = settings.getUserDestinationSuffix();
		this.userDestinationSuffix = (suffix != null && !suffix.isEmpty()) ? suffix : null;
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
	 * Messages waiting in the named destination; 0 if it does not exist, as an unused queue
	 * is reclaimed.
	 */
	public int depth(String name) {
		Destination destination = this.destinations.get(name);
		return (destination != null) ? destination.depth() : 0;
	}

	public Collection<Destination> all() {
		return this.destinations.values();
	}

	public DestinationType typeOf(String name) {
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

	private Destination create(String name) {
		DestinationPolicy policy = this.settings.policyFor(name);
		String deadLetterQueue = deadLetterQueueFor(name, policy.getDeadLetterQueue());
		if (typeOf(name) == DestinationType.TOPIC) {
			return new TopicDestination(name, this, policy, deadLetterQueue);
		}
		String session = userSessionOf(name);
		if (session != null) {
			// Checked again after indexing: deleteSessionQueues marks the session ended before it
			// reads the index, so a queue made meanwhile is either found there or orphaned here.
			if (!this.endedSessions.contains(session)) {
				this.sessionQueues.computeIfAbsent(session, (key) -> ConcurrentHashMap.newKeySet()).add(name);
				if (!this.endedSessions.contains(session)) {
					return new QueueDestination(name, this, policy, deadLetterQueue, false);
				}
				unindex(session, name);
			}
			return new QueueDestination(name, this, policy, deadLetterQueue, true);
		}
		return new QueueDestination(name, this, policy, deadLetterQueue, false);
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

	/** Takes a reclaimed queue out; only this instance, never one that took its name since. */
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
	 * A relayed session ended: its user-destination queues ({@code /queue/x-user<sessionId>})
	 * go, with the messages no one will read now.
	 */
	void deleteSessionQueues(String relaySessionId) {
		this.endedSessions.add(relaySessionId);
		Set<String> names = this.sessionQueues.remove(relaySessionId);
		if (names == null) {
			return;
		}
		for (String name : names) {
			// Waits for a queue of that name still being made, where get would miss it.
			if (this.destinations.computeIfPresent(name, (key, existing) -> existing) instanceof QueueDestination queue) {
				queue.deleteIfUnconsumed();
			}
		}
	}

	/**
	 * The dead-letter queue of a destination: the template with {@code {name}} replaced by the
	 * name without its prefix ({@code /queue/orders} -> {@code /queue/DLQ.orders}). A name the
	 * template could have produced is a dead-letter queue itself and gets none, so a message
	 * never wanders from one dead-letter queue to the next.
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

	/** A template such as {@code /queue/{name}} would make every queue its own dead-letter queue's twin. */
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
