package io.github.stompspringboot.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Publish-subscribe: every current subscriber gets each message; none is kept when there
 * is no subscriber. Publishing takes no lock: subscribers change far less often than
 * messages arrive, so they sit in a copy-on-write list.
 */
public final class TopicDestination extends Destination {

	private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();

	TopicDestination(String name) {
		super(name);
	}

	@Override
	public DestinationType type() {
		return DestinationType.TOPIC;
	}

	@Override
	void publish(BrokerMessage message) {
		for (Subscription subscriber : this.subscribers) {
			subscriber.deliver(message);
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

}
