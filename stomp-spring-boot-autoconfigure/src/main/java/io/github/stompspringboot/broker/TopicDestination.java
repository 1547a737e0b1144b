package io.github.stompspringboot.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publish-subscribe: every current subscriber whose selector matches gets each message;
 * none is kept when there is no subscriber, except for durable subscriptions: each is a
 * queue of its own bound to the topic, which keeps what arrives while its subscriber is
 * away. Publishing takes no lock: subscribers change far less often than messages arrive,
 * so they sit in copy-on-write lists.
 * <p>
 * A subscriber in a client ack mode acknowledges its own copy; a NACKed copy is
 * redelivered to that subscriber alone (nobody else may get it), then dead-lettered after
 * the limit.
 */
public final class TopicDestination extends Destination {

	private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();

	private final CopyOnWriteArrayList<DurableBinding> durableBindings = new CopyOnWriteArrayList<>();

	private final DestinationRegistry registry;

	private final LongAdder enqueued = new LongAdder();

	private final LongAdder dequeued = new LongAdder();

	TopicDestination(String name, DestinationRegistry registry, DestinationSettings settings, String deadLetterQueue) {
		super(name, registry, settings, deadLetterQueue);
		this.registry = registry;
	}

	@Override
	public DestinationType type() {
		return DestinationType.TOPIC;
	}

	@Override
	void publish(BrokerMessage message, StompSession producer) {
		if (message.isExpired(System.currentTimeMillis())) {
			this.registry.expired(this, message);
			return;
		}
		this.enqueued.increment();
		int delivered = 0;
		for (Subscription subscriber : this.subscribers) {
			if (subscriber.wants(message) && subscriber.deliver(message)) {
				delivered++;
			}
		}
		if (delivered > 0) {
			this.dequeued.add(delivered);
		}
		// The live subscribers' MESSAGE head (BrokerMessage#encodedHead) stays with them:
		// a copy without it waits in the subscription queues, which may hold it for long.
		BrokerMessage queued = (delivered > 0 && !this.durableBindings.isEmpty()) ? message.withoutEncodings()
				: message;
		for (DurableBinding binding : this.durableBindings) {
			if (binding.selector() == null || binding.selector().matches(queued)) {
				// The topic's producer answers for the subscription queue's limit: held
				// back or refused.
				binding.queue().publish(queued, producer);
			}
		}
	}

	@Override
	boolean subscribe(Subscription subscription) {
		this.subscribers.add(subscription);
		return true;
	}

	@Override
	void unsubscribe(Subscription subscription) {
		this.subscribers.remove(subscription);
		// The subscriber's own copies: with it gone, no one else is entitled to them.
		subscription.drainUnacked();
	}

	/** Starts (or, with a new selector, replaces) a durable subscription's binding. */
	void bind(QueueDestination queue, MessageSelector selector) {
		DurableBinding binding = new DurableBinding(queue, selector);
		// Replaced in one step: a publish between an unbind and an add would miss the
		// queue.
		synchronized (this.durableBindings) {
			for (int i = 0; i < this.durableBindings.size(); i++) {
				if (this.durableBindings.get(i).queue() == queue) {
					this.durableBindings.set(i, binding);
					return;
				}
			}
			this.durableBindings.add(binding);
		}
	}

	void unbind(QueueDestination queue) {
		synchronized (this.durableBindings) {
			this.durableBindings.removeIf((binding) -> binding.queue() == queue);
		}
	}

	@Override
	void nacked(Subscription subscription, List<BrokerMessage> messages) {
		List<BrokerMessage> exhausted = new ArrayList<>();
		for (BrokerMessage message : messages) {
			BrokerMessage returned = message.redelivered();
			if (isExhausted(returned)) {
				exhausted.add(returned);
			}
			else if (this.subscribers.contains(subscription)) {
				this.registry.metrics().message(BrokerMetrics.MessageEvent.REDELIVERED, DestinationType.TOPIC);
				subscription.deliver(returned);
			}
		}
		deadLetter(exhausted);
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

	@Override
	public int unackedCount() {
		int count = 0;
		for (Subscription subscriber : this.subscribers) {
			count += subscriber.unackedCount();
		}
		return count;
	}

	@Override
	public long enqueuedCount() {
		return this.enqueued.sum();
	}

	@Override
	public long dequeuedCount() {
		return this.dequeued.sum();
	}

	/** The queues of the durable subscriptions bound to this topic. */
	public List<String> durableSubscriptions() {
		List<String> names = new ArrayList<>();
		for (DurableBinding binding : this.durableBindings) {
			names.add(binding.queue().name());
		}
		return names;
	}

	/** No subscriber and no durable subscription: nothing would be lost if it went. */
	boolean isIdle() {
		return this.subscribers.isEmpty() && this.durableBindings.isEmpty();
	}

	private record DurableBinding(QueueDestination queue, MessageSelector selector) {
	}

}
