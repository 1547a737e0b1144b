package io.github.stompspringboot.broker.security;

import java.util.Set;

/**
 * A user the broker knows: a login, an encoded password such as
 * {@code {bcrypt}$2a$10$...} or {@code {noop}secret}, and the groups access rules name.
 */
public record StompUser(String login, String password, Set<String> groups) {

	public StompUser {
		if (login == null || login.isEmpty()) {
			throw new IllegalArgumentException("A STOMP user needs a login");
		}
		if (password == null) {
			throw new IllegalArgumentException("STOMP user '" + login + "' needs a password");
		}
		groups = Set.copyOf(groups);
	}

	@Override
	public String toString() {
		return "StompUser[" + this.login + ", groups=" + this.groups + "]";
	}

}
