package io.github.stompspringboot.broker;


/**
 * Where persistent messages and durable subscriptions are kept so that they outlive the
 * broker process. The engine owns this interface; {@code broker.store} holds the durable
 * implementation. {@link #NONE} keeps nothing: every message lives in memory only.
 * <p>
 * Each stored copy belongs to one queue (a durable topic subscription is a queue of its
 * own). Writes are durable, as the implementation's sync policy defines, when the method
 * returns: the engine writes a persistent message before it sends the RECEIPT for its SEND
 * and before any consumer sees it, and removes it when it is acknowledged.
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
		public void close() {
		}

	};

	/** Whether anything written survives a restart. */
	boolean isDurable();

	/**
	 * Writes one message for one queue and returns the key it is stored under (never 0 for a
	 * durable store). The write is durable when this returns.
	 */
	long add(String queue, BrokerMessage message);

	/** The message was acknowledged, expired or its queue deleted. */
	void remove(long storeId);

	/** It went out and came back un-acknowledged: its redelivery count survives a restart. */
	void updateDeliveryCount(long storeId, int deliveryCount);

	/**
	 * Hands back everything stored: first the durable subscriptions, then each message with
	 * its queue, in the order they were added.
	 */
	void recover(Recovery recovery);

	void saveDurableSubscription(DurableSubscriptionRecord record);

	void removeDurableSubscription(String queue);

	@Override
	void close();

	/** What operators see of the store (health details); an implementation tells what it knows. */
	default StoreStatus status() {
		return new StoreStatus(isDurable() ? getClass().getSimpleName() : "none", -1);
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
	 * A durable topic subscription: the queue that keeps its messages, the topic it listens
	 * to and its selector ({@code null} for all messages).
	 */
	record DurableSubscriptionRecord(String queue, String topic, String selector) {
	}

}
