package io.github.stompspringboot.broker.security;

import java.util.List;
import java.util.Set;

import io.github.stompspringboot.broker.StompIdentity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** How destination patterns, groups and actions of one rule match. */
class AccessRuleTests {

	private static final StompIdentity APP1 = new StompIdentity("app1", Set.of("appusers"));

	@Test
	void singleStarIsOneDotOrSlashSegmentAndDoubleStarAnyNumber() {
		AccessRule rule = AccessRule.of(List.of("send"), List.of("/queue/orders.*", "/topic/chat.**"),
				List.of("appusers"));
		assertThat(rule.allows(APP1, StompAction.SEND, "/queue/orders.eu")).isTrue();
		assertThat(rule.allows(APP1, StompAction.SEND, "/queue/orders.eu.paris")).isFalse();
		assertThat(rule.allows(APP1, StompAction.SEND, "/queue/orders")).isFalse();
		assertThat(rule.allows(APP1, StompAction.SEND, "/topic/chat.general.demo")).isTrue();
		assertThat(rule.allows(APP1, StompAction.SEND, "/topic/chat")).isTrue();
		assertThat(rule.allows(APP1, StompAction.SEND, "/topic/chatter")).isFalse();
		assertThat(rule.allows(APP1, StompAction.SEND, "/topic/other")).isFalse();
	}

	@Test
	void slashDoubleStarCoversDottedNamesBelowIt() {
		AccessRule rule = AccessRule.of(List.of("receive"), List.of("/topic/**"), List.of("appusers"));
		assertThat(rule.allows(APP1, StompAction.RECEIVE, "/topic/chat.general.demo")).isTrue();
		assertThat(rule.allows(APP1, StompAction.RECEIVE, "/queue/x")).isFalse();
	}

	@Test
	void bareDestinationNamesMatchTooAsInTheSeedTelnetSession() {
		AccessRule rule = AccessRule.of(List.of("send"), List.of("testSTOMP"), List.of("appusers"));
		assertThat(rule.allows(APP1, StompAction.SEND, "testSTOMP")).isTrue();
		assertThat(rule.allows(APP1, StompAction.SEND, "otherSTOMP")).isFalse();
	}

	@Test
	void starGroupIsEveryoneIncludingAnonymous() {
		AccessRule rule = AccessRule.of(List.of("connect"), List.of(), List.of("*"));
		assertThat(rule.allows(StompIdentity.anonymous(Set.of()), StompAction.CONNECT, null)).isTrue();
	}

	@Test
	void ruleAppliesOnlyToItsGroupsAndActions() {
		AccessRule rule = AccessRule.of(List.of("connect create receive consume"), List.of(), List.of("users"));
		StompIdentity demo = new StompIdentity("demo", Set.of("users"));
		assertThat(rule.allows(demo, StompAction.RECEIVE, "/topic/x")).isTrue();
		assertThat(rule.allows(demo, StompAction.CREATE, "/topic/x")).isTrue();
		assertThat(rule.allows(demo, StompAction.SEND, "/topic/x")).isFalse();
		assertThat(rule.allows(APP1, StompAction.RECEIVE, "/topic/x")).isFalse();
	}

	@Test
	void policyWithoutRulesAllowsEverythingAndWithRulesOnlyWhatTheyAllow() {
		assertThat(new AccessRulePolicy(List.of()).canSend(APP1, "/queue/x")).isTrue();
		AccessRulePolicy policy = new AccessRulePolicy(
				List.of(AccessRule.of(List.of("connect"), List.of(), List.of("appusers"))));
		assertThat(policy.canConnect(APP1)).isTrue();
		assertThat(policy.canSend(APP1, "/queue/x")).isFalse();
	}

	@Test
	void unknownActionIsRejectedWithTheActionsThatExist() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AccessRule.of(List.of("publish"), List.of(), List.of("x")))
			.withMessageContaining("'publish'")
			.withMessageContaining("connect, send, receive");
	}

	@Test
	void ruleWithoutGroupsIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> AccessRule.of(List.of("send"), List.of(), List.of()));
	}

}
