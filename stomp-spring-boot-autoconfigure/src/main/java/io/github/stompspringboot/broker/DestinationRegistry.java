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

	DestinationRegistry(BrokerSettings settings) {
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
		return (typeOf(name) == DestinationType.TOPIC) ? new TopicDestination(name) : new QueueDestination(name);
	}

}
