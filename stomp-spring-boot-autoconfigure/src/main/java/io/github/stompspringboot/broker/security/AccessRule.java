package io.github.stompspringboot.broker.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.github.stompspringboot.broker.DestinationPattern;
import io.github.stompspringboot.broker.StompIdentity;

/**
 * One rule like Apache Apollo's {@code access_rule}: the groups it is for may take these
 * actions on destinations matching these patterns. Rules only allow; once any rule
 * exists, what no rule allows is denied.
 * <p>
 * Destinations are {@link DestinationPattern}s, the rule of every destination setting:
 * both {@code /} and {@code .} separate segments, {@code *} is one segment, {@code **}
 * any number. No pattern means every destination.
 */
public final class AccessRule {

	/** The group that names everyone, anonymous users included. */
	public static final String EVERYONE = "*";

	private final Set<StompAction> actions;

	private final List<String> destinations;

	private final List<DestinationPattern> patterns;

	private final Set<String> groups;

	public AccessRule(Collection<StompAction> actions, Collection<String> destinations, Collection<String> groups) {
		if (actions.isEmpty()) {
			throw new IllegalArgumentException("An access rule needs at least one action");
		}
		if (groups.isEmpty()) {
			throw new IllegalArgumentException(
					"An access rule needs at least one group (" + EVERYONE + " for everyone)");
		}
		this.actions = EnumSet.copyOf(actions);
		this.destinations = List.copyOf(destinations);
		this.patterns = this.destinations.stream().map(DestinationPattern::of).toList();
		this.groups = Set.copyOf(groups);
	}

	/**
	 * A rule as written in configuration: each action may also be a space-separated list
	 * ({@code "connect create send receive"}, as Apollo writes them).
	 */
	public static AccessRule of(Collection<String> actions, Collection<String> destinations,
			Collection<String> groups) {
		EnumSet<StompAction> parsed = EnumSet.noneOf(StompAction.class);
		for (String action : actions) {
			Arrays.stream(action.trim().split("\\s+"))
				.filter((a) -> !a.isEmpty())
				.forEach((a) -> parsed.addAll(StompAction.parse(a)));
		}
		return new AccessRule(parsed, destinations, groups);
	}

	public Set<StompAction> actions() {
		return this.actions;
	}

	public List<String> destinations() {
		return this.destinations;
	}

	public Set<String> groups() {
		return this.groups;
	}

	/**
	 * Whether this rule lets the identity take the action on the destination
	 * ({@code null}: none).
	 */
	public boolean allows(StompIdentity identity, StompAction action, String destination) {
		return this.actions.contains(action) && appliesTo(identity) && covers(destination);
	}

	private boolean appliesTo(StompIdentity identity) {
		if (this.groups.contains(EVERYONE)) {
			return true;
		}
		for (String group : identity.groups()) {
			if (this.groups.contains(group)) {
				return true;
			}
		}
		return false;
	}

	private boolean covers(String destination) {
		if (destination == null || this.patterns.isEmpty()) {
			return true;
		}
		for (DestinationPattern pattern : this.patterns) {
			if (pattern.matches(destination)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "AccessRule[actions=" + this.actions + ", destinations=" + this.destinations + ", groups=" + this.groups
				+ "]";
	}

}
