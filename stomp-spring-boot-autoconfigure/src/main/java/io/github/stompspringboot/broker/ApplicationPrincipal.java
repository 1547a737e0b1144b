package io.github.stompspringboot.broker;

import java.security.Principal;

/**
 * The application itself as a STOMP user: the session Spring's relay keeps for what
 * {@code @SendTo} methods and {@code SimpMessagingTemplate} send. Only an in-JVM
 * transport can put it on a CONNECT (a TCP client sets native headers, never the
 * message's user), and the engine lets it do anything, whatever the access rules say.
 */
public final class ApplicationPrincipal implements Principal {

	public static final ApplicationPrincipal INSTANCE = new ApplicationPrincipal();

	/**
	 * A message header (not a STOMP header: no client can set it) that marks a SEND as
	 * the application's own, such as an {@code @SendTo} reply the relay forwards on the
	 * browser's session; access rules do not apply to it.
	 */
	public static final String MESSAGE_HEADER = "stompApplicationMessage";

	private ApplicationPrincipal() {
	}

	@Override
	public String getName() {
		return "application";
	}

	@Override
	public String toString() {
		return "ApplicationPrincipal";
	}

}
