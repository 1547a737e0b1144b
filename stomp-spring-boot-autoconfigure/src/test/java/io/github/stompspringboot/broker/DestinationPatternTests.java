package io.github.stompspringboot.broker;

import java.time.Duration;
import java.util.List;

import io.github.stompspringboot.broker.security.AccessRule;
import io.github.stompspringboot.broker.security.StompAction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One pattern rule for every destination setting: the same pattern selects the same
 * destinations as an access rule, a destination policy, a persistent destination and a
 * time-to-live.
 */
class DestinationPatternTests {

	@ParameterizedTest(name = "{0} matches {1}: {2}")
	@CsvSource({
			// '*' is one segment; '.' and '/' both separate segments
			"/queue/orders.*,       /queue/orders.eu,        true",
			"/queue/orders.*,       /queue/orders.eu.paris,  false",
			"/queue/orders.*,       /queue/orders/eu,        true",
			"/queue/orders.**,      /queue/orders.eu.paris,  true",
			"/queue/orders.**,      /queue/orders,           true",
			"/topic/chat/*,         /topic/chat.general,     true",
			"/topic/**,             /topic/a/b.c,            true",
			"/queue/*,              /topic/news,             false",
			// '*' inside a segment stays inside it
			"/queue/orders*,        /queue/orders-eu,        true",
			"/queue/orders*,        /queue/orders.eu,        false",
			// bare names, as the seed articles send to
			"testSTOMP,             testSTOMP,               true",
			"testSTOMP,             testSTOMP2,              false" })
	void samePatternSelectsTheSameDestinationsInEverySetting(String pattern, String destination, boolean selected) {
		assertThat(DestinationPattern.of(pattern).matches(destination)).as("the pattern").isEqualTo(selected);

		AccessRule rule = new AccessRule(List.of(StompAction.SEND), List.of(pattern), List.of(AccessRule.EVERYONE));
		assertThat(rule.allows(StompIdentity.anonymous(java.util.Set.of()), StompAction.SEND, destination))
			.as("an access rule")
			.isEqualTo(selected);

		// Three overrides of one pattern: each sets its own value, and all of them apply.
		BrokerSettings settings = new BrokerSettings()
			.addDestinationOverride(pattern, (matched) -> matched.withMaxRedeliveries(42))
			.addDestinationOverride(pattern, (matched) -> matched.withPersistent(true))
			.addDestinationOverride(pattern, (matched) -> matched.withTimeToLive(Duration.ofMinutes(1)));
		assertThat(settings.destinationSettings(destination).maxRedeliveries() == 42).as("a destination override")
			.isEqualTo(selected);

		DestinationRegistry registry = new DestinationRegistry(settings, MessageStore.NONE);
		assertThat(registry.isPersistent(destination)).as("a persistent destination").isEqualTo(selected);
		assertThat(registry.timeToLiveMillis(destination) > 0).as("a time-to-live").isEqualTo(selected);
	}

}
