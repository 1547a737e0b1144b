package io.github.stompspringboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says how to express what an application that enabled its own broker most likely wants.
 */
class StompBrokerConflictFailureAnalyzer extends AbstractFailureAnalyzer<StompBrokerConflictException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StompBrokerConflictException cause) {
		return new FailureAnalysis(cause.getBroker() + " was enabled in configureMessageBroker of "
				+ cause.getConfigurers() + ", but stomp-spring-boot already relays browser sessions to its broker "
				+ "(the embedded one, or an external one with stomp.broker.mode=relay). Two brokers would answer "
				+ "the same destinations, or browsers would silently bypass the embedded broker.",
				"Remove the enableSimpleBroker/enableStompBrokerRelay call and keep the rest of your configurer "
						+ "(the starter's relay handles the destinations in stomp.broker.destinations); "
						+ "to relay to RabbitMQ or ActiveMQ set stomp.broker.mode=relay and stomp.broker.relay.*; "
						+ "or set stomp.websocket.enabled=false to configure Spring's WebSocket messaging yourself.",
				cause);
	}

}
