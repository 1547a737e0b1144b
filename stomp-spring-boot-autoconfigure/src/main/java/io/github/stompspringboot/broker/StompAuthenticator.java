package io.github.stompspringboot.broker;

import java.util.Set;

/**
 * Decides who a connecting client is. The engine calls it once per CONNECT, on the
 * connection's own thread, so an implementation must not block for long.
 */
@FunctionalInterface
public interface StompAuthenticator {

	/**
	 * Accepts everyone: the user is the Principal the application set, else the login
	 * header, else anonymous. What the broker does when security is not configured.
	 */
	StompAuthenticator PERMIT_ALL = (credentials) -> StompAuthentication.granted(new StompIdentity(
			(credentials.principal() != null) ? credentials.principal().getName() : credentials.login(), Set.of()));

	StompAuthentication authenticate(StompCredentials credentials);

}
