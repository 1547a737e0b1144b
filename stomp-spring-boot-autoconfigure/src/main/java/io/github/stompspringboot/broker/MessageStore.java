package io.github.stompspringboot.broker;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Where persistent messages and durable subscriptions are kept so that they outlive the
 * broker process. The engine owns this interface; {@code broker.store} holds the durable
 * implementation. {@link #NONE} keeps nothing: every message lives in memory only.
 * <p>
 * Each stored copy belongs to one queue (a durable topic subscription is a queue of its
 * own). Changes are handed over, not waited for: each method returns at once (the caller
 * may be a Netty event loop, which never waits on a disk) and the change is durable, as
 * the implementation's sync policy defines, once {@link #whenDurable} says so. Changes
 * become durable in the order they were handed over. The engine hands over a persistent
 * message before anyone sees it, removes it when it is acknowledged, and sends the
 * RECEIPT of a frame only once every change that frame (or an earlier one of its session)
 * made is durable.
 */
public interface MessageStore extends AutoCloseable {

	/** Keeps nothing; the default when no store is configured. */
	MessageStore NONE = new MessageStore() {

		@Override
		public boolean isDurable() {
			return false;
		}

		@Override
		public long add(String queue, BrokerMessage message) {
			return 0;
		}

		@Override
		public void remove(long storeId) {
		}

		@Override
		public void updateDeliveryCount(long storeId, int deliveryCount) {
		}

		@Override
		public void recover(Recovery recovery) {
		}

		@Override
		public void saveDurableSubscription(DurableSubscriptionRecord record) {
		}

		@Override
		public void removeDurableSubscription(String queue) {
		}

		@Override
		public long changeMark() {
			return 0;
		}

		@Override
		public boolean isDurable(long mark) {
			return true;
		}

		@Override
		public void whenDurable(long mark, Consumer<Exception> action) {
			action.accept(null);
		}

		@Override
		public void close() {
		}

	};

	/** Whether anything written survives a restart. */
	boolean isDurable();

	/**
	 * Hands over one message for one queue and returns the key it is stored under (never
	 * 0 for a durable store).
	 */
	long add(String queue, BrokerMessage message);

	/**
	 * Hands over messages for one queue together (a committed transaction's): a durable
	 * store writes them in one batch, so a crash keeps all of them or none. Returns their
	 * keys, in order.
	 */
	default long[] addAll(String queue, List<BrokerMessage> messages) {
		long[] storeIds = new long[messages.size()];
		for (int i = 0; i < storeIds.length; i++) {
			storeIds[i] = add(queue, messages.get(i));
		}
		return storeIds;
	}

	/** The message was acknowledged, expired or its queue deleted. */
	void remove(long storeId);

	/**
	 * It went out and came back un-acknowledged: its redelivery count survives a restart.
	 */
	void updateDeliveryCount(long storeId, int deliveryCount);

	/**
	 * Hands back everything stored: first the durable subscriptions, then each message
	 * with its queue, in the order they were added.
	 */
	void recover(Recovery recovery);

	void saveDurableSubscription(DurableSubscriptionRecord record);

	void removeDurableSubscription(String queue);

	/**
	 * The mark of the latest change handed over, by any thread: every change made before
	 * this call is durable once {@link #isDurable(long)} holds for the mark. Marks only
	 * grow.
	 */
	long changeMark();

	/**
	 * The mark of the latest change the calling thread handed over ({@code 0} if none): a
	 * frame handled on one thread knows what it changed itself, whatever other sessions
	 * change meanwhile. Marks of one thread only grow. By default the store-wide mark,
	 * which is never less.
	 */
	default long changeMarkOfThisThread() {
		return changeMark();
	}

	/**
	 * Whether every change up to this mark is durable (a write that failed counts as
	 * done).
	 */
	boolean isDurable(long mark);

	/**
	 * Runs the action once every change up to the mark is durable, with {@code null}, or
	 * with the exception if the write holding it failed. Actions one thread gives with
	 * marks that do not decrease run in the order given, on the store's writer thread (or
	 * on the caller's, if the mark is durable already): they must not block nor take
	 * locks a thread handing over changes could hold.
	 */
	void whenDurable(long mark, Consumer<Exception> action);

	/** Writes what was handed over, then closes the store. */
	@Override
	void close();

	/**
	 * What operators see of the store (health details); an implementation tells what it
	 * knows.
	 */
	default StoreStatus status() {
		return new StoreStatus(isDurable() ? getClass().getSimpleName() : "none", -1);
	}

	/**
	 * Why the store's last write failed, while no write has succeeded since (a full disk,
	 * say); {@code null} while it writes. A store that fails a write goes on trying with
	 * the next, so this clears once the disk takes writes again.
	 */
	default @Nullable String writeFailure() {
		return null;
	}

	/**
	 * Where the store keeps its data ({@code none} for no store) and how many bytes that
	 * takes on disk, {@code -1} if unknown.
	 */
	record StoreStatus(String location, long sizeBytes) {
	}

	/** What {@link #recover} hands back. */
	interface Recovery {

		void durableSubscription(DurableSubscriptionRecord record);

		void message(String queue, BrokerMessage message);

	}

	/**
	 * A durable topic subscription: the queue that keeps its messages, the topic it
	 * listens to and its selector ({@code null} for all messages).
	 */
	record DurableSubscriptionRecord(String queue, String topic, String selector) {
	}

}
