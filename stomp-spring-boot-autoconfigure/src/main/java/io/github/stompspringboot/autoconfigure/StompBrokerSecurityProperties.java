package io.github.stompspringboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may use the embedded STOMP broker and for what, under
 * {@code stomp.broker.security}.
 */
@ConfigurationProperties("stomp.broker.security")
public class StompBrokerSecurityProperties {

	/**
	 * Users that log in with the CONNECT frame's login and passcode headers. With none
	 * (and no Spring Security AuthenticationManager bean), logins are not checked.
	 */
	private List<User> users = new ArrayList<>();

	/**
	 * Access rules, like Apache Apollo's access_rule. Once any rule is set, whatever no
	 * rule allows is denied.
	 */
	private List<Rule> rules = new ArrayList<>();

	private final Anonymous anonymous = new Anonymous();

	private final LoginFailure loginFailure = new LoginFailure();

	public List<User> getUsers() {
		return this.users;
	}

	public void setUsers(List<User> users) {
		this.users = users;
	}

	public List<Rule> getRules() {
		return this.rules;
	}

	public void setRules(List<Rule> rules) {
		this.rules = rules;
	}

	public Anonymous getAnonymous() {
		return this.anonymous;
	}

	public LoginFailure getLoginFailure() {
		return this.loginFailure;
	}

	/** A user of the broker. */
	public static class User {

		/**
		 * Login, as sent in the CONNECT frame's "login" header.
		 */
		private String login;

		/**
		 * Password, encoded for Spring Security's DelegatingPasswordEncoder, such as
		 * "{bcrypt}$2a$10$..." or "{noop}secret"; without a {id} prefix it is plain text.
		 */
		private String password;

		/**
		 * Groups the access rules name, such as "admins" or "users".
		 */
		private List<String> groups = new ArrayList<>();

		public String getLogin() {
			return this.login;
		}

		public void setLogin(String login) {
			this.login = login;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public List<String> getGroups() {
			return this.groups;
		}

		public void setGroups(List<String> groups) {
			this.groups = groups;
		}

	}

	/** What a client that gives no login may do. */
	public static class Anonymous {

		/**
		 * Whether a client that sends no login may connect.
		 */
		private boolean enabled = true;

		/**
		 * Groups an anonymous client belongs to, for the access rules.
		 */
		private List<String> groups = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getGroups() {
			return this.groups;
		}

		public void setGroups(List<String> groups) {
			this.groups = groups;
		}

	}

	/** One access rule: these groups may take these actions on these destinations. */
	public static class Rule {

		/**
		 * Actions allowed: connect, send, receive (also subscribe or consume), create
		 * (bring a destination into being by its first use), admin, or * for all. An
		 * entry may list several separated by spaces, as Apollo writes them.
		 */
		private List<String> actions = new ArrayList<>();

		/**
		 * Destination patterns, in which both "/" and "." separate segments: "*" matches
		 * one segment, "**" any number ("/topic/chat.**", "/queue/orders.*"). Empty
		 * matches every destination.
		 */
		private List<String> destinations = new ArrayList<>();

		/**
		 * Groups the rule is for; "*" is everyone, anonymous clients included.
		 */
		private List<String> groups = new ArrayList<>();

		public List<String> getActions() {
			return this.actions;
		}

		public void setActions(List<String> actions) {
			this.actions = actions;
		}

		public List<String> getDestinations() {
			return this.destinations;
		}

		public void setDestinations(List<String> destinations) {
			this.destinations = destinations;
		}

		public List<String> getGroups() {
			return this.groups;
		}

		public void setGroups(List<String> groups) {
			this.groups = groups;
		}

	}

	/** How the broker slows down password guessing. */
	public static class LoginFailure {

		/**
		 * Delay before the ERROR of a first failed login from an address; it doubles with
		 * each further failure from that address. 0 answers at once.
		 */
		private Duration delay = Duration.ofSeconds(1);

		/**
		 * Longest delay before the ERROR of a failed login.
		 */
		private Duration maxDelay = Duration.ofSeconds(30);

		/**
		 * Most client addresses whose failures are remembered; the least recent is
		 * forgotten first.
		 */
		private int maxTrackedAddresses = 10_000;

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public int getMaxTrackedAddresses() {
			return this.maxTrackedAddresses;
		}

		public void setMaxTrackedAddresses(int maxTrackedAddresses) {
			this.maxTrackedAddresses = maxTrackedAddresses;
		}

	}

}
