package io.github.stompspringboot.autoconfigure;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.QueueFullPolicy;
import io.github.stompspringboot.broker.StompBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery settings ({@code stomp.broker.delivery.*} and the queue and transaction
 * limits) reach the engine.
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
			assertThat(settings.getMaxRedeliveries()).isEqualTo(5);
			assertThat(settings.getDeadLetterQueue()).isEqualTo("/queue/DLQ.{name}");
			assertThat(settings.getMaxQueueDepth()).isEqualTo(100_000);
			assertThat(settings.getMaxQueueBytes()).isEqualTo(64L * 1024 * 1024);
			assertThat(settings.getQueueFullPolicy()).isEqualTo(QueueFullPolicy.BLOCK);
			assertThat(settings.getMaxTransactionsPerConnection()).isEqualTo(16);
			assertThat(settings.getMaxFramesPerTransaction()).isEqualTo(1000);
			assertThat(settings.getMaxUnackedPerSubscription()).isEqualTo(10_000);
			assertThat(settings.getDestinationPolicies()).isEmpty();
		});
	}

	@Test
	void propertiesAndPerPatternPoliciesReachTheEngine() {
		this.contextRunner
			.withPropertyValues("stomp.broker.delivery.default-prefetch=10", "stomp.broker.delivery.max-redeliveries=2",
					"stomp.broker.delivery.dead-letter-queue=/queue/{name}.dead",
					"stomp.broker.delivery.policies[/queue/orders.*].max-redeliveries=7",
					"stomp.broker.delivery.policies[/queue/orders.*].dead-letter-queue=/queue/orders-dlq",
					"stomp.broker.delivery.policies[/queue/orders.*].max-queue-size=1KB",
					"stomp.broker.limits.max-queue-depth=20", "stomp.broker.limits.max-queue-size=2MB",
					"stomp.broker.limits.queue-full-policy=fail",
					"stomp.broker.limits.max-transactions-per-connection=3",
					"stomp.broker.limits.max-frames-per-transaction=50",
					"stomp.broker.limits.max-unacked-per-subscription=99")
			.run((context) -> {
				StompBroker broker = context.getBean(StompBroker.class);
				BrokerSettings settings = broker.settings();
				assertThat(settings.getDefaultPrefetch()).isEqualTo(10);
				assertThat(settings.getMaxRedeliveries()).isEqualTo(2);
				assertThat(settings.getMaxQueueDepth()).isEqualTo(20);
				assertThat(settings.getMaxQueueBytes()).isEqualTo(2L * 1024 * 1024);
				assertThat(settings.getQueueFullPolicy()).isEqualTo(QueueFullPolicy.FAIL);
				assertThat(settings.getMaxTransactionsPerConnection()).isEqualTo(3);
				assertThat(settings.getMaxFramesPerTransaction()).isEqualTo(50);
				assertThat(settings.getMaxUnackedPerSubscription()).isEqualTo(99);
				assertThat(settings.getDestinationPolicies()).containsKey("/queue/orders.*");
				assertThat(settings.getDestinationPolicies().get("/queue/orders.*").getMaxRedeliveries()).isEqualTo(7);
				assertThat(settings.getDestinationPolicies().get("/queue/orders.*").getMaxQueueBytes()).isEqualTo(1024);
				assertThat(broker.destinations().resolve("/queue/orders.eu").deadLetterQueue())
					.isEqualTo("/queue/orders-dlq");
				assertThat(broker.destinations().resolve("/queue/invoices").deadLetterQueue())
					.isEqualTo("/queue/invoices.dead");
			});
	}

}
