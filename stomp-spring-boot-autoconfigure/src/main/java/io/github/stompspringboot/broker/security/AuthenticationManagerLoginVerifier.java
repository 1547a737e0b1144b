package io.github.stompspringboot.broker.security;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.stompspringboot.broker.StompIdentity;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Checks STOMP logins with the application's Spring Security
 * {@link AuthenticationManager}, so TCP clients log in with the same accounts as the web
 * pages. Groups are the granted authorities, each also without its {@code ROLE_} prefix
 * ({@code ROLE_admins} is in group {@code admins} too). Only loaded when
 * spring-security-core is on the classpath.
 */
public final class AuthenticationManagerLoginVerifier implements StompLoginVerifier {

	private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

	private final AuthenticationManager authenticationManager;

	public AuthenticationManagerLoginVerifier(AuthenticationManager authenticationManager) {
		this.authenticationManager = authenticationManager;
	}

	@Override
	public Set<String> verify(String login, String passcode) {
		try {
			Authentication result = this.authenticationManager.authenticate(
					UsernamePasswordAuthenticationToken.unauthenticated(login, (passcode != null) ? passcode : ""));
			return (result != null && result.isAuthenticated()) ? groupsOf(result) : null;
		}
		catch (AuthenticationException ex) {
			return null;
		}
	}

	/**
	 * Whether the Principal is a Spring Security {@link Authentication} that
	 * authenticated someone: not anonymous, and {@link Authentication#isAuthenticated()}.
	 */
	public static boolean isAuthenticated(Principal principal) {
		return principal instanceof Authentication authentication && TRUST.isAuthenticated(authentication);
	}

	/**
	 * A session the broker authenticated, as Spring Security sees a user: an
	 * authenticated token named after it whose authorities are its groups, each group
	 * {@code g} also as {@code ROLE_g}, so {@code hasRole("admins")} and
	 * {@code hasAuthority("admins")} both hold for group {@code admins}.
	 */
	public static Authentication authenticationOf(StompIdentity identity) {
		Set<GrantedAuthority> authorities = new LinkedHashSet<>();
		for (String group : identity.groups()) {
			authorities.add(new SimpleGrantedAuthority(group));
			if (!group.startsWith("ROLE_")) {
				authorities.add(new SimpleGrantedAuthority("ROLE_" + group));
			}
		}
		return UsernamePasswordAuthenticationToken.authenticated(identity.name(), null, authorities);
	}

	/**
	 * The groups of a Principal that is a Spring Security {@link Authentication}, else
	 * none.
	 */
	public static Set<String> groupsOf(Principal principal) {
		Set<String> groups = new LinkedHashSet<>();
		if (principal instanceof Authentication authentication) {
			for (GrantedAuthority authority : authentication.getAuthorities()) {
				String name = authority.getAuthority();
				if (name != null) {
					groups.add(name);
					if (name.startsWith("ROLE_")) {
						groups.add(name.substring("ROLE_".length()));
					}
				}
			}
		}
		return groups;
	}

}
