package io.github.stompspringboot.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Publish-subscribe: every current subscriber whose selector matches gets each message; none
 * is kept when there is no subscriber, except for durable subscriptions, each a queue of its
 * own bound to the topic that keeps what arrives while its subscriber is away. Publishing
 * takes no lock: subscribers change far less often than messages arrive, so they sit in
 * copy-on-write lists.
 */
public final class TopicDestination extends Destination {

	private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();

	private final CopyOnWriteArrayList<DurableBinding> durableBindings = new CopyOnWriteArrayList<>();

	private final DestinationRegistry registry;

	TopicDestination(String name, DestinationRegistry registry) {
		super(name);
		this.registry = registry;
	}

	@Override
	public DestinationType type() {
		return DestinationType.TOPIC;
	}

	@Override
	void publish(BrokerMessage message) {
		if (message.isExpired(System.currentTimeMillis())) {
			this.registry.expired(this, message);
			return;
		}
		for (Subscription subscriber : this.subscribers) {
			if (subscriber.wants(message)) {
				subscriber.deliver(message);
			}
		}
		for (DurableBinding binding : this.durableBindings) {
			if (binding.selector() == null || binding.selector().matches(message)) {
				binding.queue().publish(message);
			}
		}
	}

	@Override
	void subscribe(Subscription subscription) {
		this.subscribers.add(subscription);
	}

	@Override
	void unsubscribe(Subscription subscription) {
		this.subscribers.remove(subscription);
		subscription.drainUnacked();
	}

	/** Starts (or, with a new selector, replaces) a durable subscription's binding. */
	void bind(QueueDestination queue, MessageSelector selector) {
		unbind(queue);
		this.durableBindings.add(new DurableBinding(queue, selector));
	}

	void unbind(QueueDestination queue) {
		this.durableBindings.removeIf((binding) -> binding.queue() == queue);
	}

	@Override
	void requeue(List<BrokerMessage> messages) {
		// A topic message belongs to the subscriber it was copied for; nobody else may get it.
	}

	@Override
	void dispatch() {
	}

	@Override
	public int depth() {
		return 0;
	}

	@Override
	public int consumerCount() {
		return this.subscribers.size();
	}

	private record DurableBinding(QueueDestination queue, MessageSelector selector) {
	}

}
