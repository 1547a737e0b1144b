package io.github.stompspringboot.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A named place messages are sent to: a {@link QueueDestination} or a
 * {@link TopicDestination}.
 */
public abstract sealed class Destination permits QueueDestination, TopicDestination {

	private static final Log logger = LogFactory.getLog(Destination.class);

	private final String name;

	private final DestinationRegistry registry;

	private final DestinationSettings settings;

	/**
	 * Where exhausted messages go; {@code null} for a dead-letter queue itself, which
	 * redelivers forever.
	 */
	private final String deadLetterQueue;

	protected Destination(String name, DestinationRegistry registry, DestinationSettings settings,
			String deadLetterQueue) {
		this.name = name;
		this.registry = registry;
		this.settings = settings;
		this.deadLetterQueue = deadLetterQueue;
	}

	final DestinationRegistry registry() {
		return this.registry;
	}

	/** The settings this destination was created with. */
	public DestinationSettings settings() {
		return this.settings;
	}

	public String name() {
		return this.name;
	}

	public abstract DestinationType type();

	/**
	 * Accepts one message from a producer and hands it on as the destination's model
	 * says.
	 * @param producer the sending session, held back if the destination is full;
	 * {@code null} for messages the broker moves itself
	 */
	abstract void publish(BrokerMessage message, StompSession producer);

	/** Accepts the messages of a committed transaction, in order, all at once. */
	void publishAll(List<BrokerMessage> messages, StompSession producer) {
		for (BrokerMessage message : messages) {
			publish(message, producer);
		}
	}

	/**
	 * Adds a subscription. Returns {@code false} if this destination was removed from the
	 * registry meanwhile (an unused queue is reclaimed): the caller resolves the name
	 * again.
	 */
	abstract boolean subscribe(Subscription subscription);

	/**
	 * Removes a subscription; what it had not acknowledged goes back to be delivered
	 * again (queues) or is let go (topics, whose messages were the subscriber's own
	 * copies).
	 */
	abstract void unsubscribe(Subscription subscription);

	/** The subscription negatively acknowledged these messages (oldest first). */
	abstract void nacked(Subscription subscription, List<BrokerMessage> messages);

	/**
	 * The messages were acknowledged (or auto-acked on delivery): a durable store forgets
	 * them.
	 */
	void acknowledged(List<BrokerMessage> messages) {
	}

	/**
	 * Something that limited delivery changed (an ACK freed a slot, a slow client caught
	 * up).
	 */
	abstract void dispatch();

	/** Messages waiting for a consumer. */
	public abstract int depth();

	public abstract int consumerCount();

	/** Messages delivered and not yet acknowledged, over all subscriptions. */
	public abstract int unackedCount();

	/** Messages that arrived here since it was created (not counting redeliveries). */
	public abstract long enqueuedCount();

	/** Messages handed to consumers since it was created (a topic counts each copy). */
	public abstract long dequeuedCount();

	/**
	 * Where this destination's exhausted messages go, or {@code null} if it is a
	 * dead-letter queue.
	 */
	public String deadLetterQueue() {
		return this.deadLetterQueue;
	}

	/**
	 * Whether a message that came back un-acked (count already raised) has used up its
	 * redeliveries.
	 */
	final boolean isExhausted(BrokerMessage returned) {
		return this.deadLetterQueue != null && this.settings.maxRedeliveries() >= 0
				&& returned.deliveryCount() > this.settings.maxRedeliveries();
	}

	/**
	 * Moves exhausted messages to the dead-letter queue with headers saying where they
	 * came from and why. Called without this destination's lock: the dead-letter queue
	 * takes its own.
	 */
	final void deadLetter(List<BrokerMessage> messages) {
		if (messages.isEmpty()) {
			return;
		}
		Destination target = this.registry.resolve(this.deadLetterQueue);
		List<BrokerMessage> moved = new ArrayList<>(messages.size());
		for (BrokerMessage message : messages) {
			Map<String, List<String>> headers = new LinkedHashMap<>(message.headers());
			headers.put("dlq-original-destination", List.of(this.name));
			headers.put("dlq-original-message-id", List.of(message.messageId()));
			headers.put("dlq-reason", List.of("max-redeliveries"));
			headers.put("dlq-delivery-count", List.of(String.valueOf(message.deliveryCount())));
			moved.add(message.movedTo(this.deadLetterQueue, headers));
		}
		this.registry.metrics().message(BrokerMetrics.MessageEvent.DEAD_LETTERED, type(), moved.size());
		if (logger.isDebugEnabled()) {
			logger.debug(moved.size() + " message(s) of " + this.name + " moved to " + this.deadLetterQueue + " after "
					+ this.settings.maxRedeliveries() + " redeliveries");
		}
		target.publishAll(moved, null);
	}

}
