package io.github.stompspringboot.broker;

import java.security.Principal;

import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

/**
 * The engine's side of authorization: asks the broker's {@link StompAuthorizationPolicy}
 * before a session connects, sends or subscribes, and turns a "no" into the ERROR that
 * names the action and the destination. Kept apart from {@link StompSession} so the
 * session only makes one call per frame.
 */
final class SessionAccess {

	private SessionAccess() {
	}

	/**
	 * Who the CONNECT is: the application's own session needs no authenticator, every
	 * other one asks the broker's.
	 */
	static StompAuthentication authenticate(StompBroker broker, StompHeaderAccessor frame, String remoteAddress) {
		Principal principal = frame.getUser();
		if (principal instanceof ApplicationPrincipal) {
			return StompAuthentication.granted(StompIdentity.APPLICATION);
		}
		checkCredentialLengths(broker.settings(), frame);
		StompAuthentication authentication = broker.authenticator()
			.authenticate(new StompCredentials(frame.getLogin(), frame.getPasscode(), principal, remoteAddress));
		if (authentication.isGranted()) {
			checkUserName(authentication.identity().name());
		}
		return authentication;
	}

	/**
	 * A TCP client's header lines are bounded by the decoder; a browser's CONNECT reaches
	 * the engine as an object, so its login and passcode are held to the same limit here,
	 * before anything checks them.
	 */
	private static void checkCredentialLengths(BrokerSettings settings, StompHeaderAccessor frame) {
		int max = settings.getMaxHeaderLength();
		String login = frame.getLogin();
		String passcode = frame.getPasscode();
		if ((login != null && login.length() > max) || (passcode != null && passcode.length() > max)) {
			throw new StompProtocolException("Header line too long", "login and passcode may have at most " + max
					+ " characters (stomp.broker.limits.max-header-length).");
		}
	}

	/**
	 * A user name goes into user destinations, access decisions and log lines: one that
	 * could pass for a path or a pattern there is refused, whoever vouched for it.
	 */
	static void checkUserName(String name) {
		if (name == null) {
			return;
		}
		boolean invalid = name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('*') >= 0 || name.contains("..");
		for (int i = 0; i < name.length() && !invalid; i++) {
			invalid = Character.isISOControl(name.charAt(i));
		}
		if (invalid) {
			throw new StompProtocolException("Invalid user name",
					"A user name may not be empty or contain '/', '*', '..' or control characters.");
		}
	}

	static void checkConnect(StompBroker broker, StompIdentity identity, String remoteAddress) {
		if (!identity.application() && !broker.authorizationPolicy().canConnect(identity)) {
			throw denied(broker, identity, remoteAddress, "connect", null);
		}
	}

	/**
	 * A SEND; creating a destination by its first use is a right of its own. A user
	 * destination is judged by the name the client used ({@code /user/queue/reply}), not
	 * by Spring's per-session translation.
	 */
	static void checkSend(StompBroker broker, StompIdentity identity, SessionSink client, String destination,
			StompHeaderAccessor frame) {
		checkUse(broker, identity, client, destination, frame, StompAuthorizationPolicy::canSend, "send to");
	}

	/** A SUBSCRIBE, judged as {@link #checkSend a SEND} is. */
	static void checkSubscribe(StompBroker broker, StompIdentity identity, SessionSink client, String destination,
			StompHeaderAccessor frame) {
		checkUse(broker, identity, client, destination, frame, StompAuthorizationPolicy::canReceive, "receive from");
	}

	/** Sending to a destination or receiving from it: the right, then creating it. */
	@FunctionalInterface
	private interface Right {

		boolean granted(StompAuthorizationPolicy policy, StompIdentity identity, String destination);

	}

	private static void checkUse(StompBroker broker, StompIdentity identity, SessionSink client, String destination,
			StompHeaderAccessor frame, Right right, String action) {
		StompAuthorizationPolicy policy = broker.authorizationPolicy();
		if (isExempt(policy, identity, frame)) {
			return;
		}
		String named = userDestinationOf(destination, frame);
		if (!right.granted(policy, identity, named)) {
			throw denied(broker, identity, client.remoteAddress(), action, named);
		}
		if (broker.destinations().find(destination) == null && !policy.canCreate(identity, named)) {
			throw denied(broker, identity, client.remoteAddress(), "create", named);
		}
	}

	/** Everyone may do anything, or the frame is the application's own. */
	private static boolean isExempt(StompAuthorizationPolicy policy, StompIdentity identity,
			StompHeaderAccessor frame) {
		return policy == StompAuthorizationPolicy.ALLOW_ALL || identity.application()
				|| Boolean.TRUE.equals(frame.getHeader(ApplicationPrincipal.MESSAGE_HEADER));
	}

	/**
	 * Spring's user destination handler turns {@code /user/queue/reply} into
	 * {@code /queue/reply-user<session>} and names the original in a header; the original
	 * is only believed when the destination really is its translation.
	 */
	private static String userDestinationOf(String destination, StompHeaderAccessor frame) {
		String original = frame.getFirstNativeHeader(FrameHeaders.ORIGINAL_DESTINATION);
		if (original != null && original.startsWith("/user/")
				&& destination.startsWith(original.substring("/user".length()) + "-user")) {
			return original;
		}
		return destination;
	}

	private static StompProtocolException denied(StompBroker broker, StompIdentity identity, String remoteAddress,
			String action, String destination) {
		broker.securityAudit()
			.accessDenied((identity != null) ? identity.name() : null, remoteAddress, action, destination);
		String who = (identity == null || identity.isAnonymous()) ? "An anonymous user"
				: "User '" + identity.name() + "'";
		String what = (destination != null) ? action + " " + destination : action;
		// no colon in the message: 1.1 and 1.2 clients would see it escaped as \c
		return new StompProtocolException("Access denied to " + what,
				who + " may not " + what + "; no access rule of the broker (stomp.broker.security.rules) allows it.");
	}

}
