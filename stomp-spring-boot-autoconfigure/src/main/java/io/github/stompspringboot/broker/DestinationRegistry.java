package io.github.stompspringboot.broker;

import java.util.Collection;
import java.util.List;
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

	DestinationRegistry(BrokerSettings settings) {
		this.settings = settings;
		this.queuePrefixes = settings.getQueuePrefixes();
		this.topicPrefixes = settings.getTopicPrefixes();
		this.defaultType = settings.getDefaultDestinationType();
	}

	public Destination resolve(String name) {
		Destination existing = this.destinations.get(name);
		return (existing != null) ? existing : this.destinations.computeIfAbsent(name, this::create);
	}

	/** The destination if it exists already, without creating it. */
	public Destination find(String name) {
		return this.destinations.get(name);
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
		return (typeOf(name) == DestinationType.TOPIC) ? new TopicDestination(name, this, policy, deadLetterQueue)
				: new QueueDestination(name, this, policy, deadLetterQueue);
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
