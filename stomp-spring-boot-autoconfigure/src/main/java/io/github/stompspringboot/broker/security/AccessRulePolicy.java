package io.github.stompspringboot.broker.security;

import java.util.List;

import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompIdentity;

/**
 * Authorization by {@link AccessRule access rules}: an action is allowed when some rule
 * allows it. With no rule at all everything is allowed, as with no security configured.
 */
public final class AccessRulePolicy implements StompAuthorizationPolicy {

	private final List<AccessRule> rules;

	public AccessRulePolicy(List<AccessRule> rules) {
		this.rules = List.copyOf(rules);
	}

	public List<AccessRule> rules() {
		return this.rules;
	}

	@Override
	public boolean canConnect(StompIdentity identity) {
		return allows(identity, StompAction.CONNECT, null);
	}

	@Override
	public boolean canSend(StompIdentity identity, String destination) {
		return allows(identity, StompAction.SEND, destination);
	}

	@Override
	public boolean canReceive(StompIdentity identity, String destination) {
		return allows(identity, StompAction.RECEIVE, destination);
	}

	@Override
	public boolean canCreate(StompIdentity identity, String destination) {
		return allows(identity, StompAction.CREATE, destination);
	}

	/**
	 * Whether the identity may manage the broker; for operations endpoints, not STOMP
	 * frames.
	 */
	public boolean canAdminister(StompIdentity identity) {
		return allows(identity, StompAction.ADMIN, null);
	}

	/**
	 * Whether some rule allows the action; {@code destination} is {@code null} for
	 * connect and admin.
	 */
	public boolean allows(StompIdentity identity, StompAction action, String destination) {
		if (this.rules.isEmpty()) {
			return true;
		}
		for (AccessRule rule : this.rules) {
			if (rule.allows(identity, action, destination)) {
				return true;
			}
		}
		return false;
	}

}
