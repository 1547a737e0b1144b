package io.github.stompspringboot.broker.security;

import java.security.Principal;
import java.util.Set;
import java.util.function.Function;

import io.github.stompspringboot.broker.StompAuthentication;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompCredentials;
import io.github.stompspringboot.broker.StompIdentity;

/**
 * The broker's authenticator when security is configured. A session is who it proves to
 * be, by exactly one of:
 * <ul>
 * <li>a Principal the application authenticated (for a browser: a Spring Security
 * {@code Authentication} of the WebSocket session); {@code principalGroups} tells which
 * Principals count and their groups. Any other Principal, such as a nickname a channel
 * interceptor made, proves nothing;</li>
 * <li>a login checked by the {@link StompLoginVerifier}, the same for TCP clients and
 * browsers; a wrong one is refused with the same answer whether the login exists or not,
 * after the {@link LoginFailureThrottle}'s delay;</li>
 * <li>neither: an anonymous user with the anonymous groups, if anonymous access is
 * on.</li>
 * </ul>
 */
public final class CredentialsAuthenticator implements StompAuthenticator {

	private final StompLoginVerifier verifier;

	private final Function<Principal, Set<String>> principalGroups;

	private final boolean anonymousEnabled;

	private final Set<String> anonymousGroups;

	private final LoginFailureThrottle throttle;

	/**
	 * @param principalGroups the groups of a Principal that proves who the session is, or
	 * {@code null} for one that proves nothing
	 */
	public CredentialsAuthenticator(StompLoginVerifier verifier, Function<Principal, Set<String>> principalGroups,
			boolean anonymousEnabled, Set<String> anonymousGroups, LoginFailureThrottle throttle) {
		this.verifier = verifier;
		this.principalGroups = principalGroups;
		this.anonymousEnabled = anonymousEnabled;
		this.anonymousGroups = Set.copyOf(anonymousGroups);
		this.throttle = throttle;
	}

	@Override
	public StompAuthentication authenticate(StompCredentials credentials) {
		Principal principal = credentials.principal();
		Set<String> principalGroups = (principal != null) ? this.principalGroups.apply(principal) : null;
		if (principalGroups != null) {
			return StompAuthentication.granted(new StompIdentity(principal.getName(), principalGroups));
		}
		String login = credentials.login();
		if (login == null || login.isEmpty()) {
			if (this.anonymousEnabled) {
				return StompAuthentication.granted(StompIdentity.anonymous(this.anonymousGroups));
			}
			return StompAuthentication.refused(this.throttle.failed(credentials.remoteAddress()),
					"no login, and anonymous access is off");
		}
		Set<String> groups = this.verifier.verify(login, credentials.passcode());
		if (groups == null) {
			return StompAuthentication.refused(this.throttle.failed(credentials.remoteAddress()),
					"unknown login or wrong passcode");
		}
		this.throttle.succeeded(credentials.remoteAddress());
		return StompAuthentication.granted(new StompIdentity(login, groups));
	}

}
