package io.github.stompspringboot.broker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Point-to-point: a message waits until a consumer can take it, and goes to exactly one
 * of the competing consumers, round robin, skipping those that are full or slow, and
 * those whose selector does not match it (a message no current selector matches waits
 * without holding up the ones behind it). One lock per queue, held only to move a message
 * from the queue to a consumer.
 * <p>
 * The queue holds at most its maximum depth (messages and body bytes). Past it, a
 * producer is either held back (its connection stops being read until the queue drains to
 * the low-water mark, {@value #RESUME_PERCENT}% of the maximum) or refused with an ERROR,
 * as the {@link QueueFullPolicy} says; a message already read is never dropped.
 * <p>
 * Persistent messages are written to the {@link MessageStore} before anyone sees them and
 * removed when acknowledged; expired ones are taken out when they reach the head.
 */
public final class QueueDestination extends Destination {

	private static final Log logger = LogFactory.getLog(QueueDestination.class);

	/** Held-back producers resume once the queue is down to this share of its maximum. */
	static final int RESUME_PERCENT = 80;

	private final DestinationRegistry registry;

	private final PendingMessages pending;

	private final List<Subscription> consumers = new ArrayList<>();

	/** How many of {@link #consumers} have a selector; 0 keeps the plain fast path. */
	private int selectiveConsumers;

	private int nextConsumer;

	private long pendingBytes;

	private int peakDepth;

	/**
	 * Totals for operators; guarded by {@code this}, so they cost no more than the lock
	 * already held.
	 */
	private long enqueued;

	private long dequeued;

	private final int maxDepth;

	private final long maxBytes;

	private final int resumeDepth;

	private final long resumeBytes;

	private final QueueFullPolicy fullPolicy;

	/**
	 * Expired messages drain() took out, waiting to be moved without the lock; guarded by
	 * {@code this}.
	 */
	private final List<BrokerMessage> expiredUnderLock = new ArrayList<>();

	private volatile boolean expiredWaiting;

	/** Set once the queue left the registry; guarded by {@code this}. */
	private boolean removed;

	/**
	 * The queue of a relayed session that has ended: nobody can read what is sent to it,
	 * so a message is dropped and the queue leaves again, unless someone subscribes
	 * first. Guarded by {@code this}.
	 */
	private boolean orphaned;

	/**
	 * Whether the queue leaves the registry once it has no consumer and no message. Not
	 * so for queues that belong to someone (a durable subscription, a temporary queue):
	 * they are deleted explicitly.
	 */
	private final boolean reclaimable;

	/**
	 * Producers whose reading is suspended until this queue drains; guarded by
	 * {@code this}.
	 */
	private final Set<StompSession> heldProducers = new LinkedHashSet<>();

	QueueDestination(String name, DestinationRegistry registry, DestinationSettings settings, String deadLetterQueue,
			boolean orphaned, boolean reclaimable) {
		super(name, registry, settings, deadLetterQueue);
		this.registry = registry;
		this.orphaned = orphaned;
		this.reclaimable = reclaimable;
		this.maxDepth = settings.maxQueueDepth();
		this.maxBytes = settings.maxQueueBytes();
		this.resumeDepth = (int) ((long) this.maxDepth * RESUME_PERCENT / 100);
		this.resumeBytes = this.maxBytes * RESUME_PERCENT / 100;
		this.fullPolicy = settings.queueFullPolicy();
		this.pending = new PendingMessages(settings.strictOrder());
	}

	@Override
	public DestinationType type() {
		return DestinationType.QUEUE;
	}

	@Override
	void publish(BrokerMessage message, StompSession producer) {
		if (expireIfDue(message)) {
			return;
		}
		try {
			synchronized (this) {
				if (this.orphaned) {
					dropOrphaned(1);
					return;
				}
				if (!this.removed) {
					if (producer == null && isFull()) {
						dropOverLimit(1);
						return;
					}
					if (this.pending.isEmpty() && this.selectiveConsumers == 0) {
						Subscription consumer = nextReadyConsumer(null);
						if (consumer != null) {
							BrokerMessage stored = store(message);
							if (consumer.deliver(stored)) {
								this.enqueued++;
								this.dequeued++;
								return;
							}
							message = stored;
						}
					}
					refuseIfFull(producer, 1, message.bodyLength());
					enqueue(store(message));
					drain();
					holdBackIfFull(producer);
					return;
				}
			}
		}
		finally {
			moveExpired();
		}
		BrokerMessage late = message;
		resolveAgain(List.of(late)).ifPresent((queue) -> queue.publish(late, producer));
	}

	@Override
	void publishAll(List<BrokerMessage> messages, StompSession producer) {
		long bytes = 0;
		for (BrokerMessage message : messages) {
			bytes += message.bodyLength();
		}
		boolean removedBefore;
		synchronized (this) {
			if (this.orphaned) {
				dropOrphaned(messages.size());
				return;
			}
			// Read under the lock: once enqueued here, a later reclaim must not publish
			// them twice.
			removedBefore = this.removed;
			if (!removedBefore) {
				// All or nothing, and under one lock: a consumer sees a committed
				// transaction whole.
				refuseIfFull(producer, messages.size(), bytes);
				int fits = (producer != null) ? messages.size() : roomFor(messages);
				// Stored together: a crash keeps a committed transaction's messages all
				// or none.
				for (BrokerMessage message : storeAll(messages.subList(0, fits))) {
					enqueue(message);
				}
				if (fits < messages.size()) {
					dropOverLimit(messages.size() - fits);
				}
				drain();
				holdBackIfFull(producer);
			}
		}
		if (removedBefore) {
			resolveAgain(messages).ifPresent((queue) -> queue.publishAll(messages, producer));
			return;
		}
		moveExpired();
	}

	/**
	 * Where messages go that reached this queue after it left the registry. A reclaimed
	 * queue's name lives on in a new queue; a deleted one (a closed connection's
	 * temporary queue, an ended durable subscription) has no one left to read them, so
	 * they are dropped (and leave the store) rather than bring back a queue nobody can
	 * consume or delete.
	 */
	private Optional<Destination> resolveAgain(List<BrokerMessage> messages) {
		if (this.reclaimable) {
			return Optional.of(this.registry.resolve(name()));
		}
		if (logger.isDebugEnabled()) {
			logger.debug(messages.size() + " message(s) to deleted queue " + name() + " dropped");
		}
		acknowledged(messages);
		return Optional.empty();
	}

	/**
	 * A message a store brought back after a restart: already stored, queued in its
	 * order.
	 */
	void recover(BrokerMessage message) {
		synchronized (this) {
			enqueue(message);
		}
	}

	/**
	 * Writes a persistent message to the store (under the queue's lock, so the store's
	 * order is the queue's) and returns it with its store key.
	 */
	private BrokerMessage store(BrokerMessage message) {
		if (!message.isPersistent() || message.storeId() != 0) {
			return message;
		}
		long started = System.nanoTime();
		long storeId;
		try {
			storeId = this.registry.store().add(name(), message);
		}
		catch (RuntimeException ex) {
			this.registry.metrics().storeFailure(ex);
			throw ex;
		}
		this.registry.metrics().storeWrite(System.nanoTime() - started);
		return (storeId != 0) ? message.stored(storeId) : message;
	}

	/** Like {@link #store}, for messages that must be written in one batch. */
	private List<BrokerMessage> storeAll(List<BrokerMessage> messages) {
		List<BrokerMessage> unstored = new ArrayList<>();
		for (BrokerMessage message : messages) {
			if (message.isPersistent() && message.storeId() == 0) {
				unstored.add(message);
			}
		}
		if (unstored.isEmpty()) {
			return messages;
		}
		long[] storeIds = this.registry.store().addAll(name(), unstored);
		List<BrokerMessage> result = new ArrayList<>(messages.size());
		int next = 0;
		for (BrokerMessage message : messages) {
			boolean unstoredOne = message.isPersistent() && message.storeId() == 0;
			long storeId = unstoredOne ? storeIds[next++] : 0;
			result.add((storeId != 0) ? message.stored(storeId) : message);
		}
		return result;
	}

	/** How many of these messages the broker may move in before the queue is full. */
	private int roomFor(List<BrokerMessage> messages) {
		int depth = this.pending.size();
		long bytes = this.pendingBytes;
		int fits = 0;
		for (BrokerMessage message : messages) {
			if (depth >= this.maxDepth || bytes >= this.maxBytes) {
				break;
			}
			depth++;
			bytes += message.bodyLength();
			fits++;
		}
		return fits;
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
		this.enqueued++;
		this.pending.addLast(message);
		this.pendingBytes += message.bodyLength();
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
			if (subscription.selector() != null) {
				this.selectiveConsumers++;
			}
			drain();
		}
		moveExpired();
		return true;
	}

	@Override
	void unsubscribe(Subscription subscription) {
		List<BrokerMessage> exhausted;
		synchronized (this) {
			if (this.consumers.remove(subscription) && subscription.selector() != null) {
				this.selectiveConsumers--;
			}
			exhausted = requeueFirst(subscription.drainUnacked());
			drain();
			if (exhausted.isEmpty()) {
				reclaimIfUnused();
			}
		}
		deadLetter(exhausted);
		moveExpired();
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
			// Its consumer left and the queue was reclaimed: the messages go back under
			// the same name.
			resolveAgain(messages).ifPresent((queue) -> queue.nacked(subscription, messages));
			return;
		}
		deadLetter(exhausted);
		moveExpired();
	}

	/**
	 * A message the broker moves itself (a dead letter, an expired message) found this
	 * queue full: no producer can be held back or refused, so it is dropped, loudly,
	 * rather than let the queue grow past its limit.
	 */
	private void dropOverLimit(int count) {
		logger.warn(count + " message(s) moved to " + name() + " by the broker dropped: the queue holds "
				+ this.pending.size() + " messages (" + this.pendingBytes + " bytes), its limit is " + this.maxDepth
				+ " messages or " + this.maxBytes + " bytes");
	}

	private void dropOrphaned(int count) {
		if (logger.isDebugEnabled()) {
			logger.debug(count + " message(s) to " + name() + " dropped: its session has ended");
		}
		this.removed = true;
		this.registry.remove(this);
	}

	/**
	 * A queue with no consumer and no message holds nothing worth keeping: it leaves the
	 * registry, so names used once (reply queues, per-session queues) do not pile up.
	 * Under this queue's lock; a producer or subscriber that resolved it just before sees
	 * {@link #removed} under the same lock and resolves the name again.
	 */
	private void reclaimIfUnused() {
		if (this.reclaimable && !this.removed && this.consumers.isEmpty() && this.pending.isEmpty()
				&& this.heldProducers.isEmpty()) {
			this.removed = true;
			this.registry.remove(this);
		}
	}

	/**
	 * Deletes the queue with whatever waits in it, once no one consumes from it: the
	 * queue of one relayed browser session, whose session has ended.
	 */
	void deleteIfUnconsumed() {
		List<BrokerMessage> dropped;
		synchronized (this) {
			if (this.removed || !this.consumers.isEmpty()) {
				return;
			}
			dropped = new ArrayList<>(this.pending);
			this.pending.clear();
			this.pendingBytes = 0;
			releaseHeldProducers();
			this.removed = true;
			this.registry.remove(this);
		}
		acknowledged(dropped);
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
		moveExpired();
	}

	/**
	 * The queue is going away (its temporary queue's connection closed, its durable
	 * subscription ended).
	 */
	void delete() {
		List<BrokerMessage> dropped;
		synchronized (this) {
			this.removed = true;
			dropped = new ArrayList<>(this.pending);
			this.pending.clear();
			this.pendingBytes = 0;
			for (Subscription consumer : this.consumers) {
				dropped.addAll(consumer.drainUnacked());
			}
			this.consumers.clear();
			this.selectiveConsumers = 0;
			// Producers held back by this queue would otherwise never be read again.
			releaseHeldProducers();
		}
		acknowledged(dropped);
	}

	/**
	 * Returned messages go ahead of newer ones, keeping their original order; those out
	 * of redeliveries are handed back for the dead-letter queue. A stored message's new
	 * redelivery count is stored too.
	 */
	private List<BrokerMessage> requeueFirst(List<BrokerMessage> messages) {
		List<BrokerMessage> exhausted = List.of();
		MessageStore store = this.registry.store();
		for (int i = messages.size() - 1; i >= 0; i--) {
			BrokerMessage returned = messages.get(i).redelivered();
			if (isExhausted(returned)) {
				if (exhausted.isEmpty()) {
					exhausted = new ArrayList<>();
				}
				if (returned.storeId() != 0) {
					// the dead-letter queue stores its own copy
					store.remove(returned.storeId());
				}
				exhausted.add(0, returned);
				continue;
			}
			if (returned.storeId() != 0) {
				store.updateDeliveryCount(returned.storeId(), returned.deliveryCount());
			}
			this.registry.metrics().message(BrokerMetrics.MessageEvent.REDELIVERED, DestinationType.QUEUE);
			this.pending.addFirst(returned);
			this.pendingBytes += returned.bodyLength();
		}
		return exhausted;
	}

	private void drain() {
		if (this.selectiveConsumers == 0) {
			while (!this.pending.isEmpty()) {
				if (expiredInDrain(this.pending.peekFirst())) {
					this.pendingBytes -= this.pending.pollFirst().bodyLength();
					continue;
				}
				Subscription consumer = nextReadyConsumer(null);
				if (consumer == null) {
					break;
				}
				BrokerMessage message = this.pending.pollFirst();
				if (!consumer.deliver(message)) {
					// Its session is closing and takes no more: the message stays first
					// in line.
					this.pending.addFirst(message);
					continue;
				}
				this.pendingBytes -= message.bodyLength();
				this.dequeued++;
			}
		}
		else {
			// Selectors: each waiting message goes to a ready consumer that wants it;
			// those nobody wants stay where they are, in order, and do not block the
			// rest.
			Iterator<BrokerMessage> it = this.pending.iterator();
			while (it.hasNext() && anyConsumerReady()) {
				BrokerMessage message = it.next();
				// One expiry check per message: set aside for the expiry queue, or
				// offered to a consumer.
				boolean gone = expiredInDrain(message);
				if (!gone) {
					Subscription consumer = nextReadyConsumer(message);
					gone = consumer != null && consumer.deliver(message);
				}
				if (gone) {
					it.remove();
					this.pendingBytes -= message.bodyLength();
					this.dequeued++;
				}
			}
		}
		releaseHeldProducersIfDrained();
	}

	/**
	 * Whether a message met in {@link #drain()} has expired; if so it is set aside for
	 * {@link #moveExpired()}, as the expiry queue's lock must not be taken under this
	 * one.
	 */
	private boolean expiredInDrain(BrokerMessage message) {
		if (message.expiration() == 0 || !message.isExpired(System.currentTimeMillis())) {
			return false;
		}
		this.expiredUnderLock.add(message);
		this.expiredWaiting = true;
		return true;
	}

	/**
	 * Moves what {@link #drain()} found expired on to the expiry queue; called without
	 * this queue's lock.
	 */
	private void moveExpired() {
		if (!this.expiredWaiting) {
			return;
		}
		List<BrokerMessage> expired;
		synchronized (this) {
			expired = new ArrayList<>(this.expiredUnderLock);
			this.expiredUnderLock.clear();
			this.expiredWaiting = false;
		}
		for (BrokerMessage message : expired) {
			this.registry.expired(this, message);
		}
	}

	/**
	 * Takes an expired message out of the store and on to the expiry queue; true if it
	 * expired.
	 */
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

	/**
	 * The next consumer, round robin, that can take a message now and (when given) wants
	 * this one.
	 */
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

	@Override
	public int unackedCount() {
		List<Subscription> current;
		synchronized (this) {
			current = new ArrayList<>(this.consumers);
		}
		int count = 0;
		for (Subscription consumer : current) {
			count += consumer.unackedCount();
		}
		return count;
	}

	@Override
	public long enqueuedCount() {
		synchronized (this) {
			return this.enqueued;
		}
	}

	@Override
	public long dequeuedCount() {
		synchronized (this) {
			return this.dequeued;
		}
	}

	/** Up to {@code max} of the messages waiting, oldest first, without taking them. */
	public List<BrokerMessage> browse(int max) {
		synchronized (this) {
			List<BrokerMessage> first = new ArrayList<>(Math.min(max, this.pending.size()));
			Iterator<BrokerMessage> it = this.pending.iterator();
			while (it.hasNext() && first.size() < max) {
				first.add(it.next());
			}
			return first;
		}
	}

	/**
	 * Drops every message waiting (not those delivered and un-acked, which their
	 * consumers still hold) and lets held-back producers go on. Returns how many were
	 * dropped.
	 */
	public int purge() {
		List<BrokerMessage> dropped = take((message) -> true);
		acknowledged(dropped);
		return dropped.size();
	}

	/**
	 * Takes the waiting messages the filter accepts out of the queue, oldest first, for
	 * the broker to send elsewhere; the caller removes them from the store with
	 * {@link #acknowledged} once their new copies are where they are going.
	 */
	List<BrokerMessage> take(java.util.function.Predicate<BrokerMessage> filter) {
		List<BrokerMessage> taken = new ArrayList<>();
		synchronized (this) {
			Iterator<BrokerMessage> it = this.pending.iterator();
			while (it.hasNext()) {
				BrokerMessage message = it.next();
				if (filter.test(message)) {
					it.remove();
					this.pendingBytes -= message.bodyLength();
					taken.add(message);
				}
			}
			releaseHeldProducersIfDrained();
			reclaimIfUnused();
		}
		return taken;
	}

	/**
	 * Lets the held-back producers be read again, once the queue is down to its resume
	 * marks; under {@code this}.
	 */
	private void releaseHeldProducersIfDrained() {
		if (!this.heldProducers.isEmpty() && this.pending.size() <= this.resumeDepth
				&& this.pendingBytes <= this.resumeBytes) {
			releaseHeldProducers();
		}
	}

	/** Lets every held-back producer be read again; under {@code this}. */
	private void releaseHeldProducers() {
		for (StompSession producer : this.heldProducers) {
			producer.unthrottle();
		}
		this.heldProducers.clear();
	}

}
