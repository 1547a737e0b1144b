package io.github.stompspringboot.autoconfigure;

import java.time.Duration;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.DestinationSettings;
import io.github.stompspringboot.broker.QueueFullPolicy;
import io.github.stompspringboot.broker.StompBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery settings ({@code stomp.broker.delivery.*}, the destination settings
 * {@code stomp.broker.destinations.*} with their policies, and the transaction limits)
 * reach the engine, and the keys they replaced still do.
 */
class StompBrokerDeliveryPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StompBrokerAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.enabled=false");

	@Test
	void defaults() {
		this.contextRunner.run((context) -> {
			BrokerSettings settings = context.getBean(StompBroker.class).settings();
			assertThat(settings.getDefaultPrefetch()).isEqualTo(1000);
			DestinationSettings defaults = settings.getDestinationDefaults();
			assertThat(defaults.maxRedeliveries()).isEqualTo(5);
			assertThat(defaults.deadLetterQueue()).isEqualTo("/queue/DLQ.{name}");
			assertThat(defaults.maxQueueDepth()).isEqualTo(100_000);
			assertThat(defaults.maxQueueBytes()).isEqualTo(64L * 1024 * 1024);
			assertThat(defaults.queueFullPolicy()).isEqualTo(QueueFullPolicy.BLOCK);
			assertThat(defaults.strictOrder()).isFalse();
			assertThat(defaults.timeToLive()).isZero();
			assertThat(defaults.persistent()).isFalse();
			assertThat(settings.getMaxTransactionsPerConnection()).isEqualTo(16);
			assertThat(settings.getMaxFramesPerTransaction()).isEqualTo(1000);
			assertThat(settings.getMaxUnackedPerSubscription()).isEqualTo(10_000);
			assertThat(settings.destinationSettings("/queue/orders.eu")).as("no overrides").isEqualTo(defaults);
		});
	}

	@Test
	void destinationSettingsAndPerPatternPoliciesReachTheEngine() {
		this.contextRunner
			.withPropertyValues("stomp.broker.delivery.default-prefetch=10",
					"stomp.broker.destinations.max-redeliveries=2",
					"stomp.broker.destinations.dead-letter-queue=/queue/{name}.dead",
					"stomp.broker.destinations.max-queue-depth=20", "stomp.broker.destinations.max-queue-size=2MB",
					"stomp.broker.destinations.queue-full-policy=fail",
					"stomp.broker.destinations.policies[/queue/orders.*].max-redeliveries=7",
					"stomp.broker.destinations.policies[/queue/orders.*].dead-letter-queue=/queue/orders-dlq",
					"stomp.broker.destinations.policies[/queue/orders.*].max-queue-size=1KB",
					"stomp.broker.destinations.policies[/queue/orders.*].persistent=true",
					"stomp.broker.destinations.policies[/queue/**].max-redeliveries=1",
					"stomp.broker.destinations.policies[/queue/**].strict-order=true",
					"stomp.broker.destinations.policies[/queue/**].time-to-live=30s",
					"stomp.broker.limits.max-transactions-per-connection=3",
					"stomp.broker.limits.max-frames-per-transaction=50",
					"stomp.broker.limits.max-unacked-per-subscription=99")
			.run((context) -> {
				StompBroker broker = context.getBean(StompBroker.class);
				BrokerSettings settings = broker.settings();
				assertThat(settings.getDefaultPrefetch()).isEqualTo(10);
				assertThat(settings.getMaxTransactionsPerConnection()).isEqualTo(3);
				assertThat(settings.getMaxFramesPerTransaction()).isEqualTo(50);
				assertThat(settings.getMaxUnackedPerSubscription()).isEqualTo(99);
				assertThat(settings.getDestinationDefaults()).isEqualTo(new DestinationSettings(2, "/queue/{name}.dead",
						20, 2L * 1024 * 1024, QueueFullPolicy.FAIL, false, Duration.ZERO, false));
				// Both patterns match: the first wins for max-redeliveries, which both
				// set;
				// the second gives what only it sets; the rest comes from the defaults.
				assertThat(settings.destinationSettings("/queue/orders.eu")).isEqualTo(new DestinationSettings(7,
						"/queue/orders-dlq", 20, 1024, QueueFullPolicy.FAIL, true, Duration.ofSeconds(30), true));
				assertThat(settings.destinationSettings("/queue/invoices"))
					.isEqualTo(new DestinationSettings(1, "/queue/{name}.dead", 20, 2L * 1024 * 1024,
							QueueFullPolicy.FAIL, true, Duration.ofSeconds(30), false));
				assertThat(settings.destinationSettings("/topic/news")).isEqualTo(settings.getDestinationDefaults());
				assertThat(broker.destinations().resolve("/queue/orders.eu").deadLetterQueue())
					.isEqualTo("/queue/orders-dlq");
				assertThat(broker.destinations().resolve("/queue/invoices").deadLetterQueue())
					.isEqualTo("/queue/invoices.dead");
			});
	}

	@Test
	@SuppressWarnings("deprecation")
	void replacedKeysStillReachTheEngine() {
		this.contextRunner
			.withPropertyValues("stomp.broker.delivery.max-redeliveries=2",
					"stomp.broker.delivery.dead-letter-queue=/queue/{name}.dead",
					"stomp.broker.delivery.policies[/queue/orders.*].max-redeliveries=7",
					"stomp.broker.delivery.policies[/queue/orders.*].dead-letter-queue=/queue/orders-dlq",
					"stomp.broker.delivery.policies[/queue/orders.*].max-queue-size=1KB",
					"stomp.broker.limits.max-queue-depth=20", "stomp.broker.limits.max-queue-size=2MB",
					"stomp.broker.limits.queue-full-policy=fail")
			.run((context) -> {
				StompBroker broker = context.getBean(StompBroker.class);
				BrokerSettings settings = broker.settings();
				assertThat(settings.getDestinationDefaults()).isEqualTo(new DestinationSettings(2, "/queue/{name}.dead",
						20, 2L * 1024 * 1024, QueueFullPolicy.FAIL, false, Duration.ZERO, false));
				assertThat(settings.destinationSettings("/queue/orders.eu")).isEqualTo(new DestinationSettings(7,
						"/queue/orders-dlq", 20, 1024, QueueFullPolicy.FAIL, false, Duration.ZERO, false));
				assertThat(broker.destinations().resolve("/queue/orders.eu").deadLetterQueue())
					.isEqualTo("/queue/orders-dlq");
				assertThat(broker.destinations().resolve("/queue/invoices").deadLetterQueue())
					.isEqualTo("/queue/invoices.dead");
				// The old getters read the new properties: one value, two names.
				StompBrokerProperties properties = context.getBean(StompBrokerProperties.class);
				assertThat(properties.getDelivery().getMaxRedeliveries()).isEqualTo(2);
				assertThat(properties.getDestinations().getMaxRedeliveries()).isEqualTo(2);
				assertThat(properties.getLimits().getMaxQueueDepth()).isEqualTo(20);
				assertThat(properties.getDelivery().getPolicies()).isSameAs(properties.getDestinations().getPolicies());
			});
	}

}
