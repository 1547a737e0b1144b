package io.github.stompspringboot.broker.security;

import java.security.Principal;
import java.util.Set;
import java.util.function.Function;

import io.github.stompspringboot.broker.StompAuthentication;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompCredentials;
import io.github.stompspringboot.broker.StompIdentity;

/**
 * The broker's authenticator when security is configured:
 * <ul>
 * <li>a Principal the application already set (a browser session relayed by Spring) is trusted
 * without a password; its groups come from {@code principalGroups};</li>
 * <li>a login is checked by the {@link StompLoginVerifier}; a wrong one is refused with the same
 * answer whether the login exists or not, after the {@link LoginFailureThrottle}'s delay;</li>
 * <li>no login at all is an anonymous user with the anonymous groups, if anonymous access is on.</li>
 * </ul>
 */
public final class CredentialsAuthenticator implements StompAuthenticator {

	private final StompLoginVerifier verifier;

	private final Function<Principal, Set<String>> principalGroups;

	private final boolean anonymousEnabled;

	private final Set<String> anonymousGroups;

	private final LoginFailureThrottle throttle;

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
		if (principal != null) {
			return StompAuthentication.granted(new StompIdentity(principal.getName(), this.principalGroups.apply(principal)));
		}
		String login = credentials.login();
		if (login == null || login.isEmpty()) {
			if (this.anonymousEnabled) {
				return StompAuthentication.granted(StompIdentity.anonymous(this.anonymousGroups));
			}
			return StompAuthentication.refused(this.throttle.failed(credentials.remoteAddress()));
		}
		Set<String> groups = this.verifier.verify(login, credentials.passcode());
		if (groups == null) {
			return StompAuthentication.refused(this.throttle.failed(credentials.remoteAddress()));
		}
		this.throttle.succeeded(credentials.remoteAddress());
		return StompAuthentication.granted(new StompIdentity(login, groups));
	}

}
