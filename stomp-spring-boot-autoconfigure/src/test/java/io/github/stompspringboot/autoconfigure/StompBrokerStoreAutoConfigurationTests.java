package io.github.stompspringboot.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.store.JournalMessageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The store, persistence and expiry properties reach the engine. */
class StompBrokerStoreAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StompBrokerAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.enabled=false");

	@TempDir
	Path storeDir;

	@Test
	void withoutAStorePathNothingIsKept() {
		this.runner.run((context) -> {
			assertThat(context.getBean(MessageStore.class).isDurable()).isFalse();
			assertThat(context.getBean(StompBroker.class).store()).isSameAs(MessageStore.NONE);
		});
	}

	@Test
	void storeDirectoryInUseByAnotherBrokerFailsStartupWithAdviceNamingTheProperty() {
		try (JournalMessageStore other = new JournalMessageStore(this.storeDir, false)) {
			this.runner.withPropertyValues("stomp.broker.store.path=" + this.storeDir).run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new MessageStoreUnavailableFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains(this.storeDir.toString()).contains("another broker");
				assertThat(analysis.getAction()).contains("'stomp.broker.store.path'");
			});
		}
	}

	@Test
	void storeDirectoryThatCannotBeCreatedFailsStartupWithAdviceNamingTheProperty() throws Exception {
		Path file = Files.writeString(this.storeDir.resolve("a-file"), "not a directory");
		Path under = file.resolve("store");
		this.runner.withPropertyValues("stomp.broker.store.path=" + under).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new MessageStoreUnavailableFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains(under.toString()).contains("cannot be created");
			assertThat(analysis.getAction()).contains("'stomp.broker.store.path'");
		});
	}

	@Test
	void storePathOpensTheDurableStoreAndPoliciesBind() {
		this.runner
			.withPropertyValues("stomp.broker.store.path=" + this.storeDir, "stomp.broker.store.fsync=true",
					"stomp.broker.destinations.policies[/queue/orders.**].persistent=true",
					"stomp.broker.destinations.policies[/topic/audit].persistent=true",
					"stomp.broker.destinations.policies[/queue/quotes.**].time-to-live=30s",
					"stomp.broker.expiry.queue=/queue/expired")
			.run((context) -> {
				assertThat(context.getBean(MessageStore.class)).isInstanceOf(JournalMessageStore.class);
				assertThat(this.storeDir.resolve("store.lock")).exists();
				assertPersistentAndTimeToLive(context.getBean(StompBrokerProperties.class).toSettings());
			});
	}

	@Test
	@SuppressWarnings("deprecation")
	void replacedPersistentDestinationsAndTimeToLiveKeysStillBind() {
		this.runner
			.withPropertyValues("stomp.broker.store.path=" + this.storeDir,
					"stomp.broker.store.persistent-destinations=/queue/orders.**,/topic/audit",
					"stomp.broker.expiry.time-to-live[/queue/quotes.**]=30s",
					"stomp.broker.destinations.policies[/queue/orders.**].max-redeliveries=3",
					"stomp.broker.expiry.queue=/queue/expired")
			.run((context) -> {
				StompBrokerProperties properties = context.getBean(StompBrokerProperties.class);
				BrokerSettings settings = properties.toSettings();
				assertPersistentAndTimeToLive(settings);
				// Merged into the policy of the same pattern, not replacing it.
				assertThat(settings.destinationSettings("/queue/orders.eu").maxRedeliveries()).isEqualTo(3);
				assertThat(properties.getStore().getPersistentDestinations()).containsExactly("/queue/orders.**",
						"/topic/audit");
				assertThat(properties.getExpiry().getTimeToLive()).containsEntry("/queue/quotes.**",
						Duration.ofSeconds(30));
			});
	}

	private static void assertPersistentAndTimeToLive(BrokerSettings settings) {
		assertThat(settings.destinationSettings("/queue/orders.eu").persistent()).isTrue();
		assertThat(settings.destinationSettings("/topic/audit").persistent()).isTrue();
		assertThat(settings.destinationSettings("/queue/quotes.eur").persistent()).isFalse();
		assertThat(settings.destinationSettings("/queue/quotes.eur").timeToLive()).isEqualTo(Duration.ofSeconds(30));
		assertThat(settings.destinationSettings("/queue/orders.eu").timeToLive()).isZero();
		assertThat(settings.getExpiryQueue()).isEqualTo("/queue/expired");
	}

}
