package io.github.stompspringboot.autoconfigure;

import io.github.stompspringboot.transport.tcp.StompPortInUseException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a taken STOMP port into advice on what to change, instead of a bind stack trace. */
class StompPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<StompPortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StompPortInUseException cause) {
		return new FailureAnalysis(
				"The embedded STOMP broker could not listen on " + cause.getHost() + ":" + cause.getPort()
						+ ": the port is already in use.",
				"Stop the process that listens on port " + cause.getPort()
						+ ", or set 'stomp.broker.tcp.port' to another port (0 picks a free one), "
						+ "or turn the TCP listener off with 'stomp.broker.tcp.enabled=false'.",
				cause);
	}

}
