package io.github.stompspringboot.broker;

import java.util.List;

/** A named place messages are sent to: a {@link QueueDestination} or a {@link TopicDestination}. */
public abstract sealed class Destination permits QueueDestination, TopicDestination {

	private final String name;

	protected Destination(String name) {
		this.name = name;
	}

	public String name() {
		return this.name;
	}

	public abstract DestinationType type();

	/** Accepts one message from a producer and hands it on as the destination's model says. */
	abstract void publish(BrokerMessage message);

	abstract void subscribe(Subscription subscription);

	/**
	 * Removes a subscription; what it had not acknowledged goes back to be delivered again
	 * (queues) or is let go (topics, whose messages were the subscriber's own copies).
	 */
	abstract void unsubscribe(Subscription subscription);

	/** A message was negatively acknowledged, or its consumer left before acking it. */
	abstract void requeue(List<BrokerMessage> messages);

	/** The messages were acknowledged (or auto-acked on delivery): a durable store forgets them. */
	void acknowledged(List<BrokerMessage> messages) {
	}

	/** Something that limited delivery changed (an ACK freed a slot, a slow client caught up). */
	abstract void dispatch();

	/** Messages waiting for a consumer. */
	public abstract int depth();

	public abstract int consumerCount();

}
