package io.github.stompspringboot.broker;

/**
 * What an authenticated session may do, asked before the engine acts: a small policy in
 * the shape of Moquette's {@code canWrite}/{@code canRead}. Destinations are the names
 * the client used ({@code /topic/chat.general}, or {@code /user/queue/reply} for a Spring
 * user destination).
 */
public interface StompAuthorizationPolicy {

	/** Lets everything through: the policy when no access rule is configured. */
	StompAuthorizationPolicy ALLOW_ALL = new StompAuthorizationPolicy() {

		@Override
		public boolean canSend(StompIdentity identity, String destination) {
			return true;
		}

		@Override
		public boolean canReceive(StompIdentity identity, String destination) {
			return true;
		}

	};

	/** Whether the identity may open a session at all. */
	default boolean canConnect(StompIdentity identity) {
		return true;
	}

	/** Whether the identity may SEND to the destination. */
	boolean canSend(StompIdentity identity, String destination);

	/** Whether the identity may SUBSCRIBE to (and so receive from) the destination. */
	boolean canReceive(StompIdentity identity, String destination);

	/** Whether the identity may bring a destination into being by its first use. */
	default boolean canCreate(StompIdentity identity, String destination) {
		return true;
	}

}
