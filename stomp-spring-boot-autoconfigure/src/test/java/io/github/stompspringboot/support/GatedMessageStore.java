package io.github.stompspringboot.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.MessageStore;

/**
 * A real durable store whose writes a test can hold up: while the gate is shut, nothing
 * handed over since it was shut becomes durable, as on a slow disk; opening it lets them
 * through, failing it reports every held write as failed, as on a full disk.
 */
public final class GatedMessageStore implements MessageStore {

	private final MessageStore delegate;

	private final List<Runnable> held = new ArrayList<>();

	private boolean shut;

	/** The first mark the shut gate holds. */
	private long heldFrom;

	public GatedMessageStore(MessageStore delegate) {
		this.delegate = delegate;
	}

	public synchronized void shut() {
		this.shut = true;
		this.heldFrom = this.delegate.changeMark() + 1;
	}

	/** Lets every held write through, and later ones at once. */
	public void open() {
		List<Runnable> released;
		synchronized (this) {
			this.shut = false;
			released = new ArrayList<>(this.held);
			this.held.clear();
		}
		released.forEach(Runnable::run);
	}

	/** Every held write fails with the given exception; later ones go through. */
	public void fail(Exception failure) {
		List<Runnable> failed;
		synchronized (this) {
			this.shut = false;
			failed = new ArrayList<>(this.held);
			this.held.clear();
		}
		failed.forEach((action) -> ((HeldAction) action).action().accept(failure));
	}

	@Override
	public synchronized boolean isDurable(long mark) {
		return (!this.shut || mark < this.heldFrom) && this.delegate.isDurable(mark);
	}

	@Override
	public void whenDurable(long mark, Consumer<Exception> action) {
		synchronized (this) {
			if (this.shut && mark >= this.heldFrom) {
				this.held.add(new HeldAction(mark, action, this.delegate));
				return;
			}
		}
		this.delegate.whenDurable(mark, action);
	}

	@Override
	public boolean isDurable() {
		return this.delegate.isDurable();
	}

	@Override
	public long add(String queue, BrokerMessage message) {
		return this.delegate.add(queue, message);
	}

	@Override
	public long[] addAll(String queue, List<BrokerMessage> messages) {
		return this.delegate.addAll(queue, messages);
	}

	@Override
	public void remove(long storeId) {
		this.delegate.remove(storeId);
	}

	@Override
	public void updateDeliveryCount(long storeId, int deliveryCount) {
		this.delegate.updateDeliveryCount(storeId, deliveryCount);
	}

	@Override
	public void recover(Recovery recovery) {
		this.delegate.recover(recovery);
	}

	@Override
	public void saveDurableSubscription(DurableSubscriptionRecord record) {
		this.delegate.saveDurableSubscription(record);
	}

	@Override
	public void removeDurableSubscription(String queue) {
		this.delegate.removeDurableSubscription(queue);
	}

	@Override
	public long changeMark() {
		return this.delegate.changeMark();
	}

	@Override
	public long changeMarkOfThisThread() {
		return this.delegate.changeMarkOfThisThread();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	private record HeldAction(long mark, Consumer<Exception> action, MessageStore delegate) implements Runnable {

		@Override
		public void run() {
			this.delegate.whenDurable(this.mark, this.action);
		}

	}

}
