package io.github.stompspringboot.broker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SUBSCRIBE of one session: where messages go, how they are acknowledged, and the
 * deliveries still waiting for an ACK (in delivery order, which cumulative ACKs rely on).
 */
public final class Subscription {

	private final StompSession session;

	private final String id;

	private final Destination destination;

	private final AckMode ackMode;

	private final int prefetch;

	private final MessageSelector selector;

	private final BrokerMetrics metrics;

	private final DestinationType kind;

	/**
	 * Guarded by {@code this}: delivered by the destination's thread, acked by the
	 * session's.
	 */
	private LinkedHashMap<String, BrokerMessage> unacked = new LinkedHashMap<>();

	/** Set once the destination took back what was un-acked; guarded by {@code this}. */
	private boolean ended;

	Subscription(StompSession session, String id, Destination destination, AckMode ackMode, int prefetch,
			MessageSelector selector) {
		this.selector = selector;
		this.session = session;
		this.id = id;
		this.destination = destination;
		this.ackMode = ackMode;
		this.prefetch = prefetch;
		this.metrics = destination.registry().metrics();
		this.kind = destination.type();
	}

	public StompSession session() {
		return this.session;
	}

	public String id() {
		return this.id;
	}

	public Destination destination() {
		return this.destination;
	}

	public AckMode ackMode() {
		return this.ackMode;
	}

	/** The SUBSCRIBE's selector, {@code null} for every message. */
	public MessageSelector selector() {
		return this.selector;
	}

	/**
	 * Whether the subscriber asked for this message (its selector matches, or it has
	 * none).
	 */
	boolean wants(BrokerMessage message) {
		return this.selector == null || this.selector.matches(message);
	}

	/** Whether a queue may hand this subscription one more message now. */
	boolean canTakeMore() {
		if (!this.session.isTakingDeliveries() || !this.session.isWritable()) {
			return false;
		}
		if (this.ackMode == AckMode.AUTO || this.prefetch <= 0) {
			return true;
		}
		synchronized (this) {
			return this.unacked.size() < this.prefetch;
		}
	}

	/** The most un-acked messages this subscription may hold; 0 is unlimited. */
	public int prefetch() {
		return this.prefetch;
	}

	/**
	 * Hands a message to the client, remembering it until acked if the mode asks for
	 * acks. A queue only calls it when {@link #canTakeMore()}; a topic cannot hold a
	 * message back, so a topic subscriber whose window is full is disconnected instead of
	 * growing it. Returns {@code false} if the message did not go out (the session is
	 * closing).
	 */
	boolean deliver(BrokerMessage message) {
		String ackId = null;
		if (this.ackMode != AckMode.AUTO) {
			ackId = this.session.ackIdFor(this, message);
			synchronized (this) {
				if (this.prefetch > 0 && this.unacked.size() >= this.prefetch) {
					this.session.unackedWindowOverflow(this);
					return false;
				}
				this.unacked.put(message.messageId(), message);
			}
		}
		if (this.session.deliver(message, this.id, ackId)) {
			this.metrics.message(BrokerMetrics.MessageEvent.DELIVERED, this.kind);
			if (this.ackMode == AckMode.AUTO && message.storeId() != 0) {
				// auto: handing it to the connection is the acknowledgement
				this.destination.acknowledged(List.of(message));
			}
			return true;
		}
		if (this.ackMode != AckMode.AUTO) {
			synchronized (this) {
				this.unacked.remove(message.messageId());
			}
		}
		return false;
	}

	/**
	 * Takes the acknowledged message out of the un-acked set: with {@link AckMode#CLIENT}
	 * every earlier one too. Returns what was acknowledged, empty if the id is unknown.
	 */
	List<BrokerMessage> acknowledge(String messageId) {
		synchronized (this) {
			if (!this.unacked.containsKey(messageId)) {
				return List.of();
			}
			if (this.ackMode != AckMode.CLIENT) {
				return List.of(this.unacked.remove(messageId));
			}
			List<BrokerMessage> acked = new ArrayList<>();
			Iterator<Map.Entry<String, BrokerMessage>> it = this.unacked.entrySet().iterator();
			while (it.hasNext()) {
				Map.Entry<String, BrokerMessage> entry = it.next();
				acked.add(entry.getValue());
				it.remove();
				if (entry.getKey().equals(messageId)) {
					break;
				}
			}
			return acked;
		}
	}

	boolean isUnacked(String messageId) {
		synchronized (this) {
			return this.unacked.containsKey(messageId);
		}
	}

	/**
	 * Everything still un-acked, oldest first, and forgets it (the subscription is
	 * ending).
	 */
	List<BrokerMessage> drainUnacked() {
		synchronized (this) {
			this.ended = true;
			List<BrokerMessage> pending = new ArrayList<>(this.unacked.values());
			this.unacked.clear();
			return pending;
		}
	}

	/**
	 * Makes acknowledged messages un-acked again (their transaction was aborted), ahead
	 * of later deliveries so a cumulative ACK still covers them. Returns {@code false} if
	 * the subscription has ended: the caller must give them back to the destination
	 * instead.
	 */
	boolean restoreUnacked(List<BrokerMessage> messages) {
		synchronized (this) {
			if (this.ended) {
				return false;
			}
			LinkedHashMap<String, BrokerMessage> restored = new LinkedHashMap<>();
			for (BrokerMessage message : messages) {
				restored.put(message.messageId(), message);
			}
			restored.putAll(this.unacked);
			this.unacked = restored;
			return true;
		}
	}

	/** Messages delivered on this subscription and not yet acknowledged. */
	public int unackedCount() {
		synchronized (this) {
			return this.unacked.size();
		}
	}

	@Override
	public String toString() {
		return "Subscription[" + this.id + " on " + this.destination.name() + " by " + this.session.id() + "]";
	}

}
