package io.github.stompspringboot.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.messaging.simp.stomp.StompCommand;

/**
 * One BEGIN of a session, until its COMMIT or ABORT. SENDs wait here and reach their
 * destinations only at COMMIT, all together (each destination takes its share under one
 * lock). ACKs and NACKs take their messages out of the subscription's un-acked set at
 * once, which frees the prefetch window as a plain ACK would; COMMIT makes that final
 * (and redelivers what was NACKed), ABORT makes those messages un-acked again.
 * <p>
 * Guarded by the owning session's lock, like all frame-driven state.
 */
final class Transaction {

	private final String id;

	private final Map<Destination, List<BrokerMessage>> sends = new LinkedHashMap<>();

	private final List<Settlement> settlements = new ArrayList<>();

	private int frames;

	Transaction(String id) {
		this.id = id;
	}

	String id() {
		return this.id;
	}

	/** SEND, ACK and NACK frames held so far. */
	int frames() {
		return this.frames;
	}

	void addSend(Destination destination, BrokerMessage message) {
		this.sends.computeIfAbsent(destination, (key) -> new ArrayList<>()).add(message);
		this.frames++;
	}

	/** Messages an ACK or NACK in this transaction took out of a subscription. */
	void addSettlement(Subscription subscription, List<BrokerMessage> messages, StompCommand ackOrNack) {
		this.settlements.add(new Settlement(subscription, messages, ackOrNack));
		this.frames++;
	}

	/** Publishes the SENDs and lets the NACKed messages go back for redelivery. */
	void commit(StompSession producer) {
		for (Settlement settlement : this.settlements) {
			if (settlement.ackOrNack() == StompCommand.NACK) {
				settlement.subscription().destination().nacked(settlement.subscription(), settlement.messages());
			}
			else {
				settlement.subscription().destination().acknowledged(settlement.messages());
			}
		}
		for (Map.Entry<Destination, List<BrokerMessage>> entry : this.sends.entrySet()) {
			entry.getKey().publishAll(entry.getValue(), producer);
			entry.getKey()
				.registry()
				.metrics()
				.message(BrokerMetrics.MessageEvent.PUBLISHED, entry.getKey().type(), entry.getValue().size());
		}
		clear();
	}

	/**
	 * Drops the SENDs and makes acknowledged messages un-acked again; those whose
	 * subscription ended meanwhile go back to their destination, as if their consumer had
	 * left.
	 */
	void abort() {
		for (int i = this.settlements.size() - 1; i >= 0; i--) {
			Settlement settlement = this.settlements.get(i);
			Subscription subscription = settlement.subscription();
			if (!subscription.restoreUnacked(settlement.messages())) {
				subscription.destination().nacked(subscription, settlement.messages());
			}
		}
		clear();
	}

	private void clear() {
		this.sends.clear();
		this.settlements.clear();
	}

	private record Settlement(Subscription subscription, List<BrokerMessage> messages, StompCommand ackOrNack) {
	}

}
