package io.github.stompspringboot.broker;

import java.util.Set;

/**
 * Who a session is once CONNECT was accepted: a user name ({@code null} when anonymous),
 * the groups access rules are written for, and whether it is the application itself,
 * which no rule restricts.
 */
public record StompIdentity(String name, Set<String> groups, boolean application) {

	/** The application's own session (see {@link ApplicationPrincipal}). */
	public static final StompIdentity APPLICATION = new StompIdentity(ApplicationPrincipal.INSTANCE.getName(), Set.of(),
			true);

	public StompIdentity {
		groups = Set.copyOf(groups);
	}

	public StompIdentity(String name, Set<String> groups) {
		this(name, groups, false);
	}

	/** Someone who gave no login. */
	public static StompIdentity anonymous(Set<String> groups) {
		return new StompIdentity(null, groups);
	}

	public boolean isAnonymous() {
		return this.name == null;
	}

}
