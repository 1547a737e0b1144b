package io.github.stompspringboot.broker;

import java.security.Principal;

import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

/**
 * The engine's side of authorization: asks the broker's {@link StompAuthorizationPolicy}
 * before a session connects, sends or subscribes, and turns a "no" into the ERROR that names
 * the action and the destination. Kept apart from {@link StompSession} so the session only
 * makes one call per frame.
 */
final class SessionAccess {

	private SessionAccess() {
	}

	/**
	 * Who the CONNECT is: the application's own session needs no authenticator, every other
	 * one asks the broker's.
	 */
	static StompAuthentication authenticate(StompBroker broker, StompHeaderAccessor frame, String remoteAddress) {
		Principal principal = frame.getUser();
		if (principal instanceof ApplicationPrincipal) {
			return StompAuthentication.granted(StompIdentity.APPLICATION);
		}
		return broker.authenticator()
			.authenticate(new StompCredentials(frame.getLogin(), frame.getPasscode(), principal, remoteAddress));
	}

	static void checkConnect(StompAuthorizationPolicy policy, StompIdentity identity) {
		if (!identity.application() && !policy.canConnect(identity)) {
			throw denied(identity, "connect", null);
		}
	}

	/**
	 * A SEND or SUBSCRIBE; creating a destination by its first use is a right of its own. A
	 * user destination is judged by the name the client used ({@code /user/queue/reply}), not
	 * by Spring's per-session translation.
	 */
	static void check(StompBroker broker, StompIdentity identity, boolean send, String destination,
			StompHeaderAccessor frame) {
		StompAuthorizationPolicy policy = broker.authorizationPolicy();
		if (policy == StompAuthorizationPolicy.ALLOW_ALL || identity.application()
				|| Boolean.TRUE.equals(frame.getHeader(ApplicationPrincipal.MESSAGE_HEADER))) {
			return;
		}
		String named = userDestinationOf(destination, frame);
		if (!(send ? policy.canSend(identity, named) : policy.canReceive(identity, named))) {
			throw denied(identity, send ? "send to" : "receive from", named);
		}
		if (broker.destinations().find(destination) == null && !policy.canCreate(identity, named)) {
			throw denied(identity, "create", named);
		}
	}

	/**
	 * Spring's user destination handler turns {@code /user/queue/reply} into
	 * {@code /queue/reply-user<session>} and names the original in a header; the original is
	 * only believed when the destination really is its translation.
	 */
	private static String userDestinationOf(String destination, StompHeaderAccessor frame) {
		String original = frame.getFirstNativeHeader("simpOrigDestination");
		if (original != null && original.startsWith("/user/")
				&& destination.startsWith(original.substring("/user".length()) + "-user")) {
			return original;
		}
		return destination;
	}

	private static StompProtocolException denied(StompIdentity identity, String action, String destination) {
		String who = (identity == null || identity.isAnonymous()) ? "An anonymous user"
				: "User '" + identity.name() + "'";
		String what = (destination != null) ? action + " " + destination : action;
		// no colon in the message: 1.1 and 1.2 clients would see it escaped as \c
		return new StompProtocolException("Access denied to " + what,
				who + " may not " + what + "; no access rule of the broker (stomp.broker.security.rules) allows it.");
	}

}
