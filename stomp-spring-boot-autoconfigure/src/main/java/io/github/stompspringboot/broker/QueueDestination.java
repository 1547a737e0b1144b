package io.github.stompspringboot.broker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Point-to-point: a message waits until a consumer can take it, and goes to exactly one of
 * the competing consumers, round robin, skipping those that are full or slow.
 * One lock per queue, held only to move a message from the queue to a consumer.
 * <p>
 * The queue holds at most its maximum depth (messages and body bytes). Past it, a producer
 * is either held back (its connection stops being read until the queue drains to the
 * low-water mark, {@value #RESUME_PERCENT}% of the maximum) or refused with an ERROR,
 * as the {@link QueueFullPolicy} says; a message already read is never dropped.
 */
public final class QueueDestination extends Destination {

	private static final Log logger = LogFactory.getLog(QueueDestination.class);

	/** Held-back producers resume once the queue is down to this share of its maximum. */
	static final int RESUME_PERCENT = 80;

	private final ArrayDeque<BrokerMessage> pending = new ArrayDeque<>();

	private final List<Subscription> consumers = new ArrayList<>();

	private int nextConsumer;

	private long pendingBytes;

	private int peakDepth;

	private final int maxDepth;

	private final long maxBytes;

	private final int resumeDepth;

	private final long resumeBytes;

	private final QueueFullPolicy fullPolicy;

	/** Set once the queue left the registry; guarded by {@code this}. */
	private boolean removed;

	/**
	 * The queue of a relayed session that has ended: nobody can read what is sent to it, so a
	 * message is dropped and the queue leaves again, unless someone subscribes first.
	 * Guarded by {@code this}.
	 */
	private boolean orphaned;

	/** Producers whose reading is suspended until this queue drains; guarded by {@code this}. */
	private final Set<StompSession> heldProducers = new LinkedHashSet<>();

	QueueDestination(String name, DestinationRegistry registry, DestinationPolicy policy, String deadLetterQueue,
			boolean orphaned) {
		super(name, registry, policy, deadLetterQueue);
		this.orphaned = orphaned;
		this.maxDepth = policy.getMaxQueueDepth();
		this.maxBytes = policy.getMaxQueueBytes();
		this.resumeDepth = (int) ((long) this.maxDepth * RESUME_PERCENT / 100);
		this.resumeBytes = this.maxBytes * RESUME_PERCENT / 100;
		this.fullPolicy = policy.getQueueFullPolicy();
	}

	@Override
	public DestinationType type() {
		return DestinationType.QUEUE;
	}

	@Override
	void publish(BrokerMessage message, StompSession producer) {
		synchronized (this) {
			if (this.orphaned) {
				dropOrphaned(1);
				return;
			}
			if (!this.removed) {
				if (this.pending.isEmpty()) {
					Subscription consumer = nextReadyConsumer();
					if (consumer != null && consumer.deliver(message)) {
						return;
					}
				}
				refuseIfFull(producer, 1, message.body().length);
				enqueue(message);
				drain();
				holdBackIfFull(producer);
				return;
			}
		}
		// Reclaimed after the producer resolved it: the name lives on in a new queue.
		registry().resolve(name()).publish(message, producer);
	}

	@Override
	void publishAll(List<BrokerMessage> messages, StompSession producer) {
		long bytes = 0;
		for (BrokerMessage message : messages) {
			bytes += message.body().length;
		}
		synchronized (this) {
			if (this.orphaned) {
				dropOrphaned(messages.size());
				return;
			}
			if (!this.removed) {
				// All or nothing, and under one lock: a consumer sees a committed transaction whole.
				refuseIfFull(producer, messages.size(), bytes);
				for (BrokerMessage message : messages) {
					enqueue(message);
				}
				drain();
				holdBackIfFull(producer);
				return;
			}
		}
		registry().resolve(name()).publishAll(messages, producer);
	}

	private void refuseIfFull(StompSession producer, int count, long bytes) {
		if (producer != null && this.fullPolicy == QueueFullPolicy.FAIL
				&& (this.pending.size() + count > this.maxDepth || this.pendingBytes + bytes > this.maxBytes)) {
			throw new StompProtocolException("Queue " + name() + " is full",
					"The queue holds " + this.pending.size() + " messages (" + this.pendingBytes
							+ " bytes); its limit is " + this.maxDepth + " messages or " + this.maxBytes
							+ " bytes. Consume from it, or send again later.");
		}
	}

	private void holdBackIfFull(StompSession producer) {
		if (producer != null && this.fullPolicy == QueueFullPolicy.BLOCK && isFull()
				&& this.heldProducers.add(producer)) {
			producer.throttle();
		}
	}

	private boolean isFull() {
		return this.pending.size() >= this.maxDepth || this.pendingBytes >= this.maxBytes;
	}

	private void enqueue(BrokerMessage message) {
		this.pending.addLast(message);
		this.pendingBytes += message.body().length;
		if (this.pending.size() > this.peakDepth) {
			this.peakDepth = this.pending.size();
		}
	}

	@Override
	boolean subscribe(Subscription subscription) {
		synchronized (this) {
			if (this.removed) {
				return false;
			}
			this.orphaned = false;
			this.consumers.add(subscription);
			drain();
			return true;
		}
	}

	@Override
	void unsubscribe(Subscription subscription) {
		List<BrokerMessage> exhausted;
		synchronized (this) {
			this.consumers.remove(subscription);
			exhausted = requeueFirst(subscription.drainUnacked());
			drain();
			if (exhausted.isEmpty()) {
				reclaimIfUnused();
			}
		}
		deadLetter(exhausted);
	}

	@Override
	void nacked(Subscription subscription, List<BrokerMessage> messages) {
		List<BrokerMessage> exhausted;
		synchronized (this) {
			if (this.removed) {
				exhausted = null;
			}
			else {
				exhausted = requeueFirst(messages);
				drain();
			}
		}
		if (exhausted == null) {
			// Its consumer left and the queue was reclaimed: the messages go back under the same name.
			registry().resolve(name()).nacked(subscription, messages);
			return;
		}
		deadLetter(exhausted);
	}

	private void dropOrphaned(int count) {
		if (logger.isDebugEnabled()) {
			logger.debug(count + " message(s) to " + name() + " dropped: its session has ended");
		}
		this.removed = true;
		registry().remove(this);
	}

	/**
	 * A queue with no consumer and no message holds nothing worth keeping: it leaves the
	 * registry, so names used once (reply queues, per-session queues) do not pile up. Under
	 * this queue's lock; a producer or subscriber that resolved it just before sees
	 * {@link #removed} under the same lock and resolves the name again.
	 */
	private void reclaimIfUnused() {
		if (!this.removed && this.consumers.isEmpty() && this.pending.isEmpty() && this.heldProducers.isEmpty()) {
			this.removed = true;
			registry().remove(this);
		}
	}

	/**
	 * Deletes the queue with whatever waits in it, once no one consumes from it: the queue of
	 * one relayed browser session, whose session has ended.
	 */
	void deleteIfUnconsumed() {
		synchronized (this) {
			if (this.removed || !this.consumers.isEmpty()) {
				return;
			}
			this.pending.clear();
			this.pendingBytes = 0;
			for (StompSession producer : this.heldProducers) {
				producer.unthrottle();
			}
			this.heldProducers.clear();
			this.removed = true;
			registry().remove(this);
		}
	}

	@Override
	void dispatch() {
		synchronized (this) {
			drain();
		}
	}

	/**
	 * Returned messages go ahead of newer ones, keeping their original order; those out of
	 * redeliveries are handed back for the dead-letter queue.
	 */
	private List<BrokerMessage> requeueFirst(List<BrokerMessage> messages) {
		List<BrokerMessage> exhausted = List.of();
		for (int i = messages.size() - 1; i >= 0; i--) {
			BrokerMessage returned = messages.get(i).redelivered();
			if (isExhausted(returned)) {
				if (exhausted.isEmpty()) {
					exhausted = new ArrayList<>();
				}
				exhausted.add(0, returned);
				continue;
			}
			this.pending.addFirst(returned);
			this.pendingBytes += returned.body().length;
		}
		return exhausted;
	}

	private void drain() {
		while (!this.pending.isEmpty()) {
			Subscription consumer = nextReadyConsumer();
			if (consumer == null) {
				break;
			}
			BrokerMessage message = this.pending.pollFirst();
			if (!consumer.deliver(message)) {
				// Its session is closing and takes no more: the message stays first in line.
				this.pending.addFirst(message);
				continue;
			}
			this.pendingBytes -= message.body().length;
		}
		if (!this.heldProducers.isEmpty() && this.pending.size() <= this.resumeDepth
				&& this.pendingBytes <= this.resumeBytes) {
			for (StompSession producer : this.heldProducers) {
				producer.unthrottle();
			}
			this.heldProducers.clear();
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

	/** Body bytes of the messages waiting for a consumer. */
	public long depthBytes() {
		synchronized (this) {
			return this.pendingBytes;
		}
	}

	/** The most messages the queue ever held waiting at once. */
	public int peakDepth() {
		synchronized (this) {
			return this.peakDepth;
		}
	}

	@Override
	public int consumerCount() {
		synchronized (this) {
			return this.consumers.size();
		}
	}

}
