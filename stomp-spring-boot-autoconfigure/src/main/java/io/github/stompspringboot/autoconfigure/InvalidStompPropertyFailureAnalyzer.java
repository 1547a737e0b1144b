package io.github.stompspringboot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Names the {@code stomp.*} property whose value stopped the broker, and what to set
 * instead.
 */
class InvalidStompPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidStompPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidStompPropertyException cause) {
		return new FailureAnalysis("The embedded STOMP broker could not start: '" + cause.getProperty() + "' is '"
				+ cause.getValue() + "': " + cause.getReason() + ".", cause.getAction(), cause);
	}

}
