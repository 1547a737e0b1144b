package io.github.stompspringboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Names the dependency relay mode is missing, instead of a start with no STOMP endpoint.
 */
class StompRelayClientMissingFailureAnalyzer extends AbstractFailureAnalyzer<StompRelayClientMissingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StompRelayClientMissingException cause) {
		return new FailureAnalysis("stomp.broker.mode is relay, but Reactor Netty is not on the class path: "
				+ "Spring's STOMP relay needs it to connect to the external broker (RabbitMQ, ActiveMQ, Artemis), "
				+ "so browsers would get no STOMP endpoint.",
				"Depend on stomp-spring-boot-starter (it brings Reactor Netty), or add "
						+ "io.projectreactor.netty:reactor-netty-core to your dependencies; or set "
						+ "stomp.broker.mode=embedded to use the broker embedded in the application.",
				cause);
	}

}
