package io.github.stompspringboot.autoconfigure;

import org.springframework.messaging.simp.config.StompBrokerRelayRegistration;

/**
 * Callback to adjust the relay registration that connects browser sessions to the broker
 * (the embedded one over the in-JVM link, or an external one in relay mode), after the
 * starter has configured it from {@code stomp.*} properties.
 */
@FunctionalInterface
public interface StompBrokerRelayCustomizer {

	void customize(StompBrokerRelayRegistration registration);

}
