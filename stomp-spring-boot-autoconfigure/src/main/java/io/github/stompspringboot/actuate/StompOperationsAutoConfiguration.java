package io.github.stompspringboot.actuate;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompBroker;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * What the {@code stomp} endpoint and the admin page share: the operations on the
 * embedded broker and the check of who may use them. Needs no Actuator.
 */
@AutoConfiguration(after = StompBrokerAutoConfiguration.class)
@ConditionalOnBean(StompBroker.class)
public final class StompOperationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StompBrokerOperations stompBrokerOperations(StompBroker broker) {
		return new StompBrokerOperations(broker);
	}

	@Bean
	@ConditionalOnMissingBean
	StompAdminAccess stompAdminAccess(ObjectProvider<StompAuthenticator> authenticator,
			ObjectProvider<StompAuthorizationPolicy> policy) {
		return new StompAdminAccess(authenticator.getIfAvailable(() -> StompAuthenticator.PERMIT_ALL),
				policy.getIfAvailable(() -> StompAuthorizationPolicy.ALLOW_ALL));
	}

}
