package io.github.stompspringboot.actuate;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.autoconfigure.StompRelayConnectionDetails;
import io.github.stompspringboot.broker.StompBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the health indicator, the meters and the {@code stomp} endpoint are there: each
 * only with its part of Actuator on the class path, enabled, and a broker (or a relay) to
 * watch.
 */
class StompActuateAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(StompBrokerAutoConfiguration.class, StompOperationsAutoConfiguration.class,
						StompHealthAutoConfiguration.class, StompMetricsAutoConfiguration.class,
						StompEndpointAutoConfiguration.class, MetricsAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1");

	@Test
	void withActuatorTheBrokerHasHealthMetersAndAnExposedEndpoint() {
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=stomp")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(StompEndpoint.class)
					.hasSingleBean(StompBrokerHealthIndicator.class)
					.hasSingleBean(StompBrokerMeterBinder.class)
					.hasSingleBean(StompBrokerOperations.class);
				Health health = context.getBean("stompHealthIndicator", StompBrokerHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("stomp.broker.connections").tag("transport", "tcp").gauge()).isNotNull();
				assertThat(registry.find("stomp.broker.messages.published").tag("kind", "queue").functionCounter())
					.isNotNull();
			});
	}

	@Test
	void withoutActuatorOrMicrometerOnlyTheBrokerAndItsOperations() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(StompBrokerAutoConfiguration.class,
					StompOperationsAutoConfiguration.class, StompHealthAutoConfiguration.class,
					StompMetricsAutoConfiguration.class, StompEndpointAutoConfiguration.class))
			.withPropertyValues("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.",
					"org.springframework.boot.health.", "io.micrometer.", "org.springframework.boot.micrometer."))
			.withPropertyValues("management.endpoints.web.exposure.include=stomp")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(StompBroker.class)
					.hasSingleBean(StompBrokerOperations.class)
					.doesNotHaveBean("stompEndpoint")
					.doesNotHaveBean("stompHealthIndicator")
					.doesNotHaveBean("stompBrokerMeterBinder");
			});
	}

	@Test
	void endpointNotExposedIsNotCreated() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StompEndpoint.class));
	}

	@Test
	void endpointWithAccessNoneIsNotCreated() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=stomp",
					"management.endpoint.stomp.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StompEndpoint.class));
	}

	@Test
	void withoutTcpListenersHealthIsUpWithNoneListed() {
		this.contextRunner.withPropertyValues("stomp.broker.tcp.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			Health health = context.getBean(StompBrokerHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("listeners", java.util.Map.of());
		});
	}

	@Test
	void healthIndicatorCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("management.health.stomp.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("stompHealthIndicator"));
	}

	@Test
	void withoutAMeterRegistryNoMeterBinder() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StompBrokerMeterBinder.class));
	}

	@Test
	void inRelayModeHealthFollowsTheRelaysBrokerAvailability() {
		this.contextRunner.withUserConfiguration(RelayConfiguration.class, RegistryConfiguration.class)
			.withPropertyValues("stomp.broker.mode=relay", "management.endpoints.web.exposure.include=stomp")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(StompBroker.class)
					.doesNotHaveBean(StompEndpoint.class)
					.doesNotHaveBean(StompBrokerMeterBinder.class)
					.hasSingleBean(StompRelayHealthIndicator.class);
				StompRelayHealthIndicator indicator = context.getBean(StompRelayHealthIndicator.class);
				assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
				context.publishEvent(new BrokerAvailabilityEvent(true, this));
				Health up = indicator.health(true);
				assertThat(up.getStatus()).isEqualTo(Status.UP);
				assertThat(up.getDetails()).containsEntry("relay", "rabbit.example:61613")
					.containsEntry("mode", "relay");
				context.publishEvent(new BrokerAvailabilityEvent(false, this));
				assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
			});
	}

	@Test
	void adminPageOnlyWhenEnabledInAServletWebApplication() {
		WebApplicationContextRunner web = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(StompBrokerAutoConfiguration.class,
					StompOperationsAutoConfiguration.class, StompAdminAutoConfiguration.class))
			.withPropertyValues("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1");
		web.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StompAdminPage.class));
		web.withPropertyValues("stomp.admin.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(StompAdminPage.class)
				.hasBean("stompAdminRoutes"));
		this.contextRunner.withPropertyValues("stomp.admin.enabled=true")
			.withConfiguration(AutoConfigurations.of(StompAdminAutoConfiguration.class))
			.run((context) -> assertThat(context).as("not a web application")
				.hasNotFailed()
				.doesNotHaveBean(StompAdminPage.class));
		web.withPropertyValues("stomp.admin.enabled=true", "stomp.broker.mode=relay")
			.run((context) -> assertThat(context).as("no embedded broker to manage")
				.hasNotFailed()
				.doesNotHaveBean(StompAdminPage.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RelayConfiguration {

		@Bean
		StompRelayConnectionDetails relayConnectionDetails() {
			return new StompRelayConnectionDetails() {

				@Override
				public String getHost() {
					return "rabbit.example";
				}

				@Override
				public int getPort() {
					return 61613;
				}

				@Override
				public String getLogin() {
					return "guest";
				}

				@Override
				public String getPasscode() {
					return "guest";
				}

				@Override
				public String getSystemLogin() {
					return "guest";
				}

				@Override
				public String getSystemPasscode() {
					return "guest";
				}

			};
		}

	}

}
