package io.github.stompspringboot.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a static field the extension runs one broker for the class, with the settings given;
 * on an instance field one per test.
 */
class StompBrokerExtensionTests {

	@RegisterExtension
	static final StompBrokerExtension shared = new StompBrokerExtension()
		.settings((settings) -> settings.setServerName("shared/1.0"));

	private static final Set<Integer> sharedPorts = ConcurrentHashMap.newKeySet();

	@RepeatedTest(3)
	void aStaticFieldSharesOneBrokerAcrossTheClass() throws Exception {
		sharedPorts.add(shared.port());
		try (StompTestClient client = shared.client().connect()) {
			assertThat(client.connected().header("server")).isEqualTo("shared/1.0");
		}
	}

	@AfterAll
	static void oneBrokerServedEveryRepetition() {
		assertThat(sharedPorts).hasSize(1);
	}

	@Nested
	class PerTest {

		private static final Set<Integer> ports = ConcurrentHashMap.newKeySet();

		@RegisterExtension
		final StompBrokerExtension own = new StompBrokerExtension();

		@RepeatedTest(3)
		void anInstanceFieldStartsABrokerPerTest() throws Exception {
			ports.add(this.own.port());
			assertThat(this.own.broker().destinations().depth("/queue/fresh")).as("what a previous test left").isZero();
			try (StompTestClient client = this.own.client().connect()) {
				client.send("/queue/fresh", "left behind");
			}
			assertThat(this.own.broker().destinations().depth("/queue/fresh")).isEqualTo(1);
		}

		@RepeatedTest(2)
		void theOuterClassesSharedBrokerStillRunsInside() throws Exception {
			sharedPorts.add(shared.port());
			try (StompTestClient client = shared.client().connect()) {
				assertThat(client.connected().header("server")).isEqualTo("shared/1.0");
			}
		}

		@AfterAll
		static void eachRepetitionHadItsOwnBroker() {
			assertThat(ports).hasSize(3);
			assertThat(shared.get().broker().isRunning()).as("the outer class's broker, until the outer class ends")
				.isTrue();
		}

	}

}
