package io.github.stompspringboot.broker.security;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The users of {@code stomp.broker.security.users}, with passwords checked by Spring
 * Security's {@code DelegatingPasswordEncoder}: the {@code {id}} prefix picks the
 * encoding ({@code {bcrypt}}, {@code {pbkdf2}}, {@code {argon2}}, {@code {noop}}, ...). A
 * password with no prefix is plain text, as Spring Boot treats its own in-memory user's.
 */
public final class InMemoryStompUsers implements StompLoginVerifier {

	private static final Log logger = LogFactory.getLog(InMemoryStompUsers.class);

	private static final Pattern ENCODED = Pattern.compile("^\\{.+}.*$", Pattern.DOTALL);

	private final Map<String, StompUser> users = new LinkedHashMap<>();

	private final PasswordEncoder passwordEncoder;

	/**
	 * Checked when the login is unknown, so a wrong login costs as long as a wrong
	 * passcode.
	 */
	private final String unknownUserPassword;

	public InMemoryStompUsers(Collection<StompUser> users) {
		this(users, PasswordEncoderFactories.createDelegatingPasswordEncoder());
	}

	public InMemoryStompUsers(Collection<StompUser> users, PasswordEncoder passwordEncoder) {
		for (StompUser user : users) {
			String password = ENCODED.matcher(user.password()).matches() ? user.password() : "{noop}" + user.password();
			if (this.users.put(user.login(), new StompUser(user.login(), password, user.groups())) != null) {
				throw new IllegalArgumentException("STOMP user '" + user.login() + "' is configured twice");
			}
		}
		this.passwordEncoder = passwordEncoder;
		this.unknownUserPassword = passwordEncoder.encode(UUID.randomUUID().toString());
	}

	public boolean isEmpty() {
		return this.users.isEmpty();
	}

	/** Whether a user of this login is configured. */
	public boolean contains(String login) {
		return login != null && this.users.containsKey(login);
	}

	/** The groups of a known user, empty for anyone else. */
	public Set<String> groupsOf(String login) {
		StompUser user = (login != null) ? this.users.get(login) : null;
		return (user != null) ? user.groups() : Set.of();
	}

	@Override
	public Set<String> verify(String login, String passcode) {
		StompUser user = (login != null) ? this.users.get(login) : null;
		String presented = (passcode != null) ? passcode : "";
		if (user == null) {
			this.passwordEncoder.matches(presented, this.unknownUserPassword);
			return null;
		}
		try {
			return this.passwordEncoder.matches(presented, user.password()) ? user.groups() : null;
		}
		catch (IllegalArgumentException ex) {
			logger.warn("The password of STOMP user '" + login + "' cannot be checked: " + ex.getMessage());
			return null;
		}
	}

}
