package io.github.stompspringboot.broker;

/**
 * Told of every refused login and every frame the access rules refused, whatever the
 * transport. Called on the connection's thread: an implementation must not block. The
 * broker logs both itself; a listener publishes them further (the starter: as Spring
 * application events).
 */
public interface StompSecurityListener {

	/** Listens to nothing. */
	StompSecurityListener NONE = new StompSecurityListener() {
	};

	/**
	 * A CONNECT was refused.
	 * @param login the login it offered, or {@code null}
	 * @param remoteAddress where it came from
	 * @param reason why, in words a log reader understands; never the passcode
	 */
	default void loginRefused(String login, String remoteAddress, String reason) {
	}

	/**
	 * A frame was refused by the access rules.
	 * @param user the session's user, or {@code null} when anonymous
	 * @param remoteAddress where the session comes from
	 * @param action what it tried ("connect", "send to", "receive from", "create")
	 * @param destination the destination, or {@code null} for connect
	 */
	default void accessDenied(String user, String remoteAddress, String action, String destination) {
	}

}
