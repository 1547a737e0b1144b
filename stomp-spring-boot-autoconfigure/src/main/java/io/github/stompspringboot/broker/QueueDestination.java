package io.github.stompspringboot.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Point-to-point: a message waits until a consumer can take it, and goes to exactly one of
 * the competing consumers, round robin, skipping those that are full or slow, and those whose
 * selector does not match it (a message no current selector matches waits without holding
 * up the ones behind it). One lock per queue, held only to move a message from the queue to
 * a consumer. Persistent messages are written to the message store before anyone sees them
 * and removed when acknowledged.
 */
public final class QueueDestination extends Destination {

	private final DestinationRegistry registry;

	private final ArrayDeque<BrokerMessage> pending = new ArrayDeque<>();

	private final List<Subscription> consumers = new ArrayList<>();

	/** How many of {@link #consumers} have a selector; 0 keeps the plain fast path. */
	private int selectiveConsumers;

	private int nextConsumer;

	QueueDestination(String name, DestinationRegistry registry) {
		super(name);
		this.registry = registry;
	}

	@Override
	public DestinationType type() {
		return DestinationType.QUEUE;
	}

	@Override
	void publish(BrokerMessage message) {
		BrokerMessage stored = store(message);
		synchronized (this) {
			if (this.pending.isEmpty() && this.selectiveConsumers == 0) {
				if (expireIfDue(stored)) {
					return;
				}
				Subscription consumer = nextReadyConsumer(null);
				if (consumer != null) {
					consumer.deliver(stored);
					return;
				}
			}
			this.pending.addLast(stored);
			drain();
		}
	}

	/** Messages a store brought back after a restart: already stored, queued in their order. */
	void recover(BrokerMessage message) {
		synchronized (this) {
			this.pending.addLast(message);
		}
	}

	private BrokerMessage store(BrokerMessage message) {
		if (!message.isPersistent() || message.storeId() != 0) {
			return message;
		}
		MessageStore store = this.registry.store();
		long storeId = store.add(name(), message);
		return (storeId != 0) ? message.stored(storeId) : message;
	}

	@Override
	void subscribe(Subscription subscription) {
		synchronized (this) {
			this.consumers.add(subscription);
			if (subscription.selector() != null) {
				this.selectiveConsumers++;
			}
			drain();
		}
	}

	@Override
	void unsubscribe(Subscription subscription) {
		synchronized (this) {
			if (this.consumers.remove(subscription) && subscription.selector() != null) {
				this.selectiveConsumers--;
			}
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
	void acknowledged(List<BrokerMessage> messages) {
		MessageStore store = this.registry.store();
		for (BrokerMessage message : messages) {
			if (message.storeId() != 0) {
				store.remove(message.storeId());
			}
		}
	}

	@Override
	void dispatch() {
		synchronized (this) {
			drain();
		}
	}

	/** The queue is going away (a temporary queue's connection closed, a durable subscription ended). */
	void delete() {
		List<BrokerMessage> dropped;
		synchronized (this) {
			dropped = new ArrayList<>(this.pending);
			this.pending.clear();
			for (Subscription consumer : this.consumers) {
				dropped.addAll(consumer.drainUnacked());
			}
			this.consumers.clear();
			this.selectiveConsumers = 0;
		}
		acknowledged(dropped);
	}

	/** Returned messages go ahead of newer ones, keeping their original order. */
	private void requeueFirst(List<BrokerMessage> messages) {
		MessageStore store = this.registry.store();
		for (int i = messages.size() - 1; i >= 0; i--) {
			BrokerMessage again = messages.get(i).redelivered();
			if (again.storeId() != 0) {
				store.updateDeliveryCount(again.storeId(), again.deliveryCount());
			}
			this.pending.addFirst(again);
		}
	}

	private void drain() {
		if (this.selectiveConsumers == 0) {
			while (!this.pending.isEmpty()) {
				if (expireIfDue(this.pending.peekFirst())) {
					this.pending.pollFirst();
					continue;
				}
				Subscription consumer = nextReadyConsumer(null);
				if (consumer == null) {
					return;
				}
				consumer.deliver(this.pending.pollFirst());
			}
			return;
		}
		// Selectors: each waiting message goes to a ready consumer that wants it; the ones
		// nobody wants stay where they are, in order, and do not block the rest.
		Iterator<BrokerMessage> it = this.pending.iterator();
		while (it.hasNext()) {
			if (!anyConsumerReady()) {
				return;
			}
			BrokerMessage message = it.next();
			if (expireIfDue(message)) {
				it.remove();
				continue;
			}
			Subscription consumer = nextReadyConsumer(message);
			if (consumer != null) {
				it.remove();
				consumer.deliver(message);
			}
		}
	}

	private boolean expireIfDue(BrokerMessage message) {
		if (message.expiration() == 0 || !message.isExpired(System.currentTimeMillis())) {
			return false;
		}
		this.registry.expired(this, message);
		return true;
	}

	private boolean anyConsumerReady() {
		for (Subscription consumer : this.consumers) {
			if (consumer.canTakeMore()) {
				return true;
			}
		}
		return false;
	}

	/** The next consumer, round robin, that can take a message now and (when given) wants this one. */
	private Subscription nextReadyConsumer(BrokerMessage message) {
		int count = this.consumers.size();
		for (int i = 0; i < count; i++) {
			int index = (this.nextConsumer + i) % count;
			Subscription candidate = this.consumers.get(index);
			if (candidate.canTakeMore() && (message == null || candidate.wants(message))) {
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
