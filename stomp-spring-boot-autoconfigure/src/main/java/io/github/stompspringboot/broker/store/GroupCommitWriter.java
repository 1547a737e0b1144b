package io.github.stompspringboot.broker.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.MessageStore.DurableSubscriptionRecord;

/**
 * The one thread that writes a store's changes (group commit). Callers hand a change over
 * and get its mark at once; every change handed over while a write is under way goes into
 * the next write, made durable by one sync, after which the actions waiting for those
 * marks run. A message added and removed within one batch (delivered and acknowledged
 * before it was written) is written not at all.
 */
final class GroupCommitWriter implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(GroupCommitWriter.class);

	/** Writes one batch of changes, in order, and makes it durable before returning. */
	@FunctionalInterface
	interface BatchWriter {

		void write(List<Change> changes) throws Exception;

	}

	/** One change to a store. */
	sealed interface Change permits Add, Remove, UpdateDeliveryCount, SaveSubscription, RemoveSubscription {

	}

	record Add(long id, String queue, BrokerMessage message) implements Change {
	}

	record Remove(long id) implements Change {
	}

	record UpdateDeliveryCount(long id, int deliveryCount) implements Change {
	}

	record SaveSubscription(DurableSubscriptionRecord record) implements Change {
	}

	record RemoveSubscription(String queue) implements Change {
	}

	private record Waiter(long mark, Consumer<Exception> action) {
	}

	private final BatchWriter writer;

	private final Thread thread;

	private final Object lock = new Object();

	/** Guarded by {@link #lock}. */
	private List<Change> pending = new ArrayList<>();

	/** Guarded by {@link #lock}: the mark of the latest change handed over. */
	private long submitted;

	/** Guarded by {@link #lock}. */
	private boolean closing;

	private volatile long lastSubmitted;

	/**
	 * The mark of the latest change each thread handed over, so a session knows its own.
	 */
	private final ThreadLocal<long[]> threadMark = ThreadLocal.withInitial(() -> new long[1]);

	private volatile long durable;

	/** Guarded by {@link #waiters}, like {@link #failedFrom} and {@link #failedTo}. */
	private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

	/** The marks of the last batch whose write failed (0, 0 for none). */
	private long failedFrom;

	private long failedTo;

	private Exception lastFailure;

	/** The failure of the last batch written, {@code null} once one succeeded. */
	private volatile @Nullable Exception failing;

	GroupCommitWriter(String name, BatchWriter writer) {
		this.writer = writer;
		this.thread = new Thread(this::run, name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Hands a change over; returns its mark. Never waits for the disk. */
	long submit(Change change) {
		synchronized (this.lock) {
			if (this.closing) {
				throw new IllegalStateException("The message store is closed");
			}
			this.pending.add(change);
			long mark = ++this.submitted;
			this.lastSubmitted = mark;
			this.threadMark.get()[0] = mark;
			if (this.pending.size() == 1) {
				this.lock.notifyAll();
			}
			return mark;
		}
	}

	/** Hands changes over to be written in one batch; returns the mark of the last. */
	long submitAll(List<Change> changes) {
		synchronized (this.lock) {
			if (this.closing) {
				throw new IllegalStateException("The message store is closed");
			}
			boolean wasEmpty = this.pending.isEmpty();
			this.pending.addAll(changes);
			this.submitted += changes.size();
			this.lastSubmitted = this.submitted;
			this.threadMark.get()[0] = this.submitted;
			if (wasEmpty) {
				this.lock.notifyAll();
			}
			return this.submitted;
		}
	}

	long changeMark() {
		return this.lastSubmitted;
	}

	long changeMarkOfThisThread() {
		return this.threadMark.get()[0];
	}

	boolean isDurable(long mark) {
		return mark <= this.durable;
	}

	void whenDurable(long mark, Consumer<Exception> action) {
		synchronized (this.waiters) {
			this.waiters.addLast(new Waiter(mark, action));
			if (mark <= this.durable) {
				runDue();
			}
		}
	}

	/** Why the last batch failed, while no later one succeeded; else {@code null}. */
	@Nullable String failure() {
		Exception failure = this.failing;
		return (failure != null) ? String.valueOf(failure.getMessage()) : null;
	}

	/** Changes handed over and not yet written. */
	int backlog() {
		synchronized (this.lock) {
			return this.pending.size();
		}
	}

	private void run() {
		while (true) {
			List<Change> batch;
			long upTo;
			synchronized (this.lock) {
				while (this.pending.isEmpty() && !this.closing) {
					try {
						this.lock.wait();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
				}
				if (this.pending.isEmpty()) {
					return;
				}
				batch = this.pending;
				this.pending = new ArrayList<>(Math.max(16, batch.size()));
				upTo = this.submitted;
			}
			long from = this.durable + 1;
			Exception failure = null;
			try {
				this.writer.write(withoutShortLived(batch));
			}
			catch (Exception ex) {
				logger.error("Writing " + batch.size() + " change(s) to the message store failed", ex);
				failure = ex;
			}
			this.failing = failure;
			synchronized (this.waiters) {
				if (failure != null) {
					this.failedFrom = from;
					this.failedTo = upTo;
					this.lastFailure = failure;
				}
				this.durable = upTo;
				runDue();
			}
		}
	}

	/** Runs, in order, the actions whose marks are durable; under {@link #waiters}. */
	private void runDue() {
		Iterator<Waiter> it = this.waiters.iterator();
		while (it.hasNext()) {
			Waiter waiter = it.next();
			if (waiter.mark() > this.durable) {
				continue;
			}
			it.remove();
			Exception failure = (waiter.mark() >= this.failedFrom && waiter.mark() <= this.failedTo) ? this.lastFailure
					: null;
			try {
				waiter.action().accept(failure);
			}
			catch (RuntimeException ex) {
				logger.error("An action waiting for the message store failed", ex);
			}
		}
	}

	/**
	 * The batch without the messages it both adds and removes (and their other changes):
	 * a message consumed before it was written need never be.
	 */
	private static List<Change> withoutShortLived(List<Change> batch) {
		// A batch without removals (producers only: a queue filling up) has nothing to
		// drop; a set of every added id would cost it a third of the writer's time.
		if (!containsRemoval(batch)) {
			return batch;
		}
		Set<Long> added = null;
		Set<Long> shortLived = null;
		for (Change change : batch) {
			if (change instanceof Add add) {
				if (added == null) {
					added = new HashSet<>();
				}
				added.add(add.id());
			}
			else if (change instanceof Remove remove && added != null && added.contains(remove.id())) {
				if (shortLived == null) {
					shortLived = new HashSet<>();
				}
				shortLived.add(remove.id());
			}
		}
		if (shortLived == null) {
			return batch;
		}
		List<Change> kept = new ArrayList<>(batch.size() - 2 * shortLived.size());
		for (Change change : batch) {
			if (!shortLived.contains(messageIdOf(change))) {
				kept.add(change);
			}
		}
		return kept;
	}

	private static boolean containsRemoval(List<Change> batch) {
		for (Change change : batch) {
			if (change instanceof Remove) {
				return true;
			}
		}
		return false;
	}

	/** The store id of the message a change is about, 0 for a subscription change. */
	private static long messageIdOf(Change change) {
		if (change instanceof Add add) {
			return add.id();
		}
		if (change instanceof Remove remove) {
			return remove.id();
		}
		if (change instanceof UpdateDeliveryCount update) {
			return update.id();
		}
		return 0;
	}

	/** Writes what was handed over, then stops the thread. */
	@Override
	public void close() {
		synchronized (this.lock) {
			this.closing = true;
			this.lock.notifyAll();
		}
		try {
			this.thread.join(30_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
