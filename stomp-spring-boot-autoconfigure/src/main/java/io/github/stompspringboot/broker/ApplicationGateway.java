package io.github.stompspringboot.broker;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

/**
 * How the sessions of a transport the application does not otherwise see (TCP clients)
 * reach the application: its handlers of application destinations, its user destinations,
 * its session events and inbound checks. Implemented outside the engine (the bridge to
 * Spring's channels) and installed with {@link StompBroker#setApplicationGateway};
 * sessions relayed by Spring itself never use it, as Spring already saw their frames.
 * <p>
 * The engine calls it on the session's own thread, holding the session's lock, so it sees
 * a session's frames in order. A method may throw {@link StompProtocolException} to
 * refuse a frame: the client gets the ERROR and the connection closes.
 */
public interface ApplicationGateway {

	/** No application: what a broker without one uses. */
	ApplicationGateway NONE = new ApplicationGateway() {
	};

	/**
	 * A CONNECT the engine authenticated, before CONNECTED is written.
	 * @param user the user the engine authenticated, {@code null} for anonymous
	 * @return the id the application knows the session by (its user destinations end with
	 * it), or {@code null}
	 */
	default @Nullable String connecting(StompSession session, StompHeaderAccessor frame, @Nullable String user) {
		return null;
	}

	/** CONNECTED was written. */
	default void connected(StompSession session) {
	}

	/**
	 * Whether SEND and SUBSCRIBE to this destination are for the application, not the
	 * broker.
	 */
	default boolean isApplicationDestination(String destination) {
		return false;
	}

	/**
	 * A SEND or SUBSCRIBE to an application destination. The application handles it and
	 * answers its receipt; the engine does nothing more with it.
	 */
	default void toApplication(StompSession session, StompHeaderAccessor frame, byte[] body) {
	}

	/**
	 * Any other client frame, before the engine acts on it: the application may refuse
	 * it.
	 */
	default void inspect(StompSession session, StompHeaderAccessor frame, byte[] body) {
	}

	/**
	 * The broker destination a SUBSCRIBE to a user destination
	 * ({@code /user/queue/reply}) stands for, or {@code null} when it names no user
	 * destination.
	 */
	default @Nullable String userDestination(StompSession session, StompHeaderAccessor frame) {
		return null;
	}

	/**
	 * The session subscribed (to the broker or to the application).
	 * @param destination the destination as the client named it
	 */
	default void subscribed(StompSession session, String subscriptionId, String destination,
			StompHeaderAccessor frame) {
	}

	default void unsubscribed(StompSession session, String subscriptionId, StompHeaderAccessor frame) {
	}

	/**
	 * A MESSAGE about to be written to the session: the gateway may give it back as the
	 * client should see it (a user destination under the name the client subscribed to).
	 */
	default Message<byte[]> toClient(StompSession session, Message<byte[]> message) {
		return message;
	}

	/**
	 * Whether {@link #toClient} would change this message for a client; when it would
	 * not, the session writes the message without building a frame for it (see
	 * {@link SessionSink#sendMessage}). A gateway that overrides {@code toClient} should
	 * answer for it; by default every message is handed to {@code toClient}.
	 */
	default boolean changesForClient(BrokerMessage message) {
		return true;
	}

	/**
	 * The session ended, for whatever reason; called once for every session
	 * {@link #connecting} saw.
	 */
	default void disconnected(StompSession session) {
	}

}
