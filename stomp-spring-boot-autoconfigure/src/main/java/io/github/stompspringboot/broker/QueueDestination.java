package io.github.stompspringboot.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Point-to-point: a message waits until a consumer can take it, and goes to exactly one of
 * the competing consumers, round robin, skipping those that are full or slow.
 * One lock per queue, held only to move a message from the queue to a consumer.
 */
public final class QueueDestination extends Destination {

	private final ArrayDeque<BrokerMessage> pending = new ArrayDeque<>();

	private final List<Subscription> consumers = new ArrayList<>();

	private int nextConsumer;

	QueueDestination(String name) {
		super(name);
	}

	@Override
	public DestinationType type() {
		return DestinationType.QUEUE;
	}

	@Override
	void publish(BrokerMessage message) {
		synchronized (this) {
			if (this.pending.isEmpty()) {
				Subscription consumer = nextReadyConsumer();
				if (consumer != null) {
					consumer.deliver(message);
					return;
				}
			}
			this.pending.addLast(message);
			drain();
		}
	}

	@Override
	void subscribe(Subscription subscription) {
		synchronized (this) {
			this.consumers.add(subscription);
			drain();
		}
	}

	@Override
	void unsubscribe(Subscription subscription) {
		synchronized (this) {
			this.consumers.remove(subscription);
			List<BrokerMessage> unacked = subscription.drainUnacked();
			requeueFirst(unacked);
			drain();
		}
	}

	@Override
	void requeue(List<BrokerMessage> messages) {
		synchronized (this) {
			requeueFirst(messages);
			drain();
		}
	}

	@Override
	void dispatch() {
		synchronized (this) {
			drain();
		}
	}

	/** Returned messages go ahead of newer ones, keeping their original order. */
	private void requeueFirst(List<BrokerMessage> messages) {
		for (int i = messages.size() - 1; i >= 0; i--) {
			this.pending.addFirst(messages.get(i).redelivered());
		}
	}

	private void drain() {
		while (!this.pending.isEmpty()) {
			Subscription consumer = nextReadyConsumer();
			if (consumer == null) {
				return;
			}
			consumer.deliver(this.pending.pollFirst());
		}
	}

	private Subscription nextReadyConsumer() {
		int count = this.consumers.size();
		for (int i = 0; i < count; i++) {
			int index = (this.nextConsumer + i) % count;
			Subscription candidate = this.consumers.get(index);
			if (candidate.canTakeMore()) {
				this.nextConsumer = (index + 1) % count;
				return candidate;
			}
		}
		return null;
	}

	@Override
	public int depth() {
		synchronized (this) {
			return this.pending.size();
		}
	}

	@Override
	public int consumerCount() {
		synchronized (this) {
			return this.consumers.size();
		}
	}

}
