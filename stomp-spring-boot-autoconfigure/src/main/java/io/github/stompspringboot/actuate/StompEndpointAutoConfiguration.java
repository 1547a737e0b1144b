package io.github.stompspringboot.actuate;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code stomp} actuator endpoint, when Actuator is on the class path, the endpoint
 * is available (enabled and exposed, as {@code management.endpoints.web.exposure.include}
 * says) and the embedded broker runs.
 */
@AutoConfiguration(after = StompOperationsAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(StompBrokerOperations.class)
public final class StompEndpointAutoConfiguration {

	// On the method, not the class: its condition class is Actuator's, loaded only once
	// Actuator is known present.
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(StompEndpoint.class)
	StompEndpoint stompEndpoint(StompBrokerOperations operations, StompAdminAccess access) {
		return new StompEndpoint(operations, access);
	}

}
