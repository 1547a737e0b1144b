package io.github.stompspringboot.broker;

import org.springframework.messaging.Message;

/**
 * How the engine talks back to one client connection. Each transport (Netty TCP, the
 * in-JVM link to Spring's relay) implements this; the engine never asks which one it has.
 * Implementations must not block: the engine calls them on the sender's thread.
 */
public interface SessionSink {

	/** Hands one frame (CONNECTED, MESSAGE, RECEIPT, ERROR) to the client. */
	void send(Message<byte[]> frame);

	/**
	 * Hands one MESSAGE to the client: {@code message} to subscription
	 * {@code subscriptionId}, with {@code ackId} as its {@code ack} header ({@code null}
	 * for none). The default builds the frame model and calls {@link #send}; a transport
	 * that writes bytes may encode straight from the message instead, sharing what every
	 * subscriber's copy has in common (see {@link BrokerMessage#encodedHead}). Either way
	 * the client gets the same frame as {@link #send} of that model would write.
	 */
	default void sendMessage(BrokerMessage message, String subscriptionId, String ackId) {
		send(StompFrames.message(message, subscriptionId, ackId));
	}

	/** Sends one heart-beat (an EOL on the wire). */
	void sendHeartbeat();

	/** Closes the connection once what was sent before has been written. */
	void close();

	/**
	 * Whether the client is keeping up. A queue stops handing this session messages while
	 * it is not, and resumes on {@link StompSession#resumeDelivery()}: back-pressure
	 * instead of an unbounded buffer.
	 */
	default boolean isWritable() {
		return true;
	}

	/**
	 * Bytes accepted by {@link #send} but not yet written to the client; topics use it to
	 * drop a subscriber that cannot keep up instead of buffering for it without bound.
	 */
	default long pendingBytes() {
		return 0;
	}

	/**
	 * Stops reading from the client: a queue it sends to is full. Frames already read are
	 * still handed to the engine. Called from any thread; a transport without
	 * back-pressure may ignore it.
	 */
	default void suspendReading() {
	}

	/** Reads from the client again after {@link #suspendReading()}. */
	default void resumeReading() {
	}

	/**
	 * The kind of transport, for operators: {@code tcp}, {@code tls} or {@code websocket}
	 * (a browser relayed in-process). A label only; the engine treats every session
	 * alike.
	 */
	default String transport() {
		return "other";
	}

	/** Where the client connects from, for logs and ERROR details. */
	String remoteAddress();

	/**
	 * The host of a {@link #remoteAddress()}: {@code /127.0.0.1:54321} and
	 * {@code /127.0.0.1:54322} are one client, so the port is dropped.
	 */
	static String hostOf(String remoteAddress) {
		if (remoteAddress == null) {
			return "unknown";
		}
		String address = remoteAddress.startsWith("/") ? remoteAddress.substring(1) : remoteAddress;
		int colon = address.lastIndexOf(':');
		if (colon > 0 && colon < address.length() - 1
				&& address.substring(colon + 1).chars().allMatch(Character::isDigit)) {
			address = address.substring(0, colon);
		}
		return address;
	}

}
