package io.github.stompspringboot.broker;

import java.util.Set;

/**
 * Who a session is once CONNECT was accepted: a user name ({@code null} when anonymous) and
 * the groups access rules are written for.
 */
public record StompIdentity(String name, Set<String> groups) {

	public StompIdentity {
		groups = Set.copyOf(groups);
	}

	/** Someone who gave no login. */
	public static StompIdentity anonymous(Set<String> groups) {
		return new StompIdentity(null, groups);
	}

	public boolean isAnonymous() {
		return this.name == null;
	}

}
