package io.github.stompspringboot.autoconfigure;

import io.github.stompspringboot.transport.tcp.StompPortInUseException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a taken STOMP port into advice on what to change, instead of a bind stack trace:
 * the plain listener's port is {@code stomp.broker.tcp.port}, the TLS one's
 * {@code stomp.broker.tcp.ssl.port}.
 */
class StompPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<StompPortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StompPortInUseException cause) {
		String listener = cause.isTls() ? "TLS listener" : "TCP listener";
		String action = cause.isTls()
				? "set 'stomp.broker.tcp.ssl.port' to another port (0 picks a free one), "
						+ "or turn TLS off by removing 'stomp.broker.tcp.ssl.bundle'."
				: "set 'stomp.broker.tcp.port' to another port (0 picks a free one), "
						+ "or turn the TCP listener off with 'stomp.broker.tcp.enabled=false'.";
		return new FailureAnalysis(
				"The embedded STOMP broker's " + listener + " could not listen on " + cause.getHost() + ":"
						+ cause.getPort() + ": the port is already in use.",
				"Stop the process that listens on port " + cause.getPort() + ", or " + action, cause);
	}

}
