package io.github.stompspringboot.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Publish-subscribe: every current subscriber gets each message; none is kept when there
 * is no subscriber. Publishing takes no lock: subscribers change far less often than
 * messages arrive, so they sit in a copy-on-write list.
 * <p>
 * A subscriber in a client ack mode acknowledges its own copy; a NACKed copy is redelivered
 * to that subscriber alone (nobody else may get it), then dead-lettered after the limit.
 */
public final class TopicDestination extends Destination {

	private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();

	TopicDestination(String name, DestinationRegistry registry, DestinationPolicy policy, String deadLetterQueue) {
		super(name, registry, policy, deadLetterQueue);
	}

	@Override
	public DestinationType type() {
		return DestinationType.TOPIC;
	}

	@Override
	void publish(BrokerMessage message, StompSession producer) {
		for (Subscription subscriber : this.subscribers) {
			subscriber.deliver(message);
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

	@Override
	void nacked(Subscription subscription, List<BrokerMessage> messages) {
		List<BrokerMessage> exhausted = new ArrayList<>();
		for (BrokerMessage message : messages) {
			BrokerMessage returned = message.redelivered();
			if (isExhausted(returned)) {
				exhausted.add(returned);
			}
			else if (this.subscribers.contains(subscription)) {
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

}
