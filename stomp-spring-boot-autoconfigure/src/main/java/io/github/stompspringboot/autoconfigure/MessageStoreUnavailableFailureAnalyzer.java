package io.github.stompspringboot.autoconfigure;

import io.github.stompspringboot.broker.store.MessageStoreUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a store directory the broker cannot use into advice on what to change. */
class MessageStoreUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<MessageStoreUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MessageStoreUnavailableException cause) {
		return new FailureAnalysis(
				"The embedded STOMP broker could not open its message store in " + cause.getDirectory() + ": "
						+ cause.getReason() + ".",
				"Set 'stomp.broker.store.path' to a directory this process may write and that no other broker "
						+ "uses (each broker needs its own), or stop the process that holds it, or unset "
						+ "'stomp.broker.store.path' to keep messages in memory only.",
				cause);
	}

}
