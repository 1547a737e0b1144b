package io.github.stompspringboot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.autoconfigure.StompRelayConnectionDetails;
import io.github.stompspringboot.autoconfigure.StompWebSocketAutoConfiguration;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.transport.tcp.StompTcpServer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code stomp} health indicator when Spring Boot's health support is on the class
 * path and {@code management.health.stomp.enabled} is not false: the embedded broker's,
 * or in relay mode the relay's view of its external broker.
 */
@AutoConfiguration(after = { StompBrokerAutoConfiguration.class, StompWebSocketAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
public final class StompHealthAutoConfiguration {

	// The health conditions sit on the beans: their condition class is loaded only once
	// the class check passed.

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(StompBroker.class)
	static class EmbeddedBrokerHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "stompHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("stomp")
		StompBrokerHealthIndicator stompHealthIndicator(StompBroker broker, Map<String, StompTcpServer> servers) {
			Map<String, StompTcpServer> listeners = new LinkedHashMap<>();
			servers.forEach((beanName, server) -> listeners.put(listenerName(beanName), server));
			return new StompBrokerHealthIndicator(broker, listeners);
		}

		private static String listenerName(String beanName) {
			return switch (beanName) {
				case "stompTcpServer" -> "tcp";
				case "stompTlsServer" -> "tls";
				default -> beanName;
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "relay")
	@ConditionalOnBean(StompRelayConnectionDetails.class)
	static class RelayHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "stompHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("stomp")
		StompRelayHealthIndicator stompHealthIndicator(StompRelayConnectionDetails connectionDetails) {
			return new StompRelayHealthIndicator(connectionDetails.getHost() + ":" + connectionDetails.getPort());
		}

	}

}
