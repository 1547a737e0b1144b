package io.github.stompspringboot.broker.security;

import java.util.Set;

/**
 * Checks a CONNECT frame's login and passcode: the broker's own
 * {@link InMemoryStompUsers}, or the application's Spring Security
 * {@code AuthenticationManager}.
 */
@FunctionalInterface
public interface StompLoginVerifier {

	/**
	 * @return the user's groups when login and passcode are right, {@code null} when not;
	 * the same {@code null} whether the login is unknown or the passcode wrong
	 */
	Set<String> verify(String login, String passcode);

}
