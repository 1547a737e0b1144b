package io.github.stompspringboot.autoconfigure;

import io.github.stompspringboot.broker.MessageStoreUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a store directory the broker cannot use into advice on what to change. */
class MessageStoreUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<MessageStoreUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MessageStoreUnavailableException cause) {
		return new FailureAnalysis(
				"The embedded STOMP broker could not open its durable message store in " + cause.getPath() + ": "
						+ cause.getReason() + ".",
				"If another process (perhaps another instance of this application) uses " + cause.getPath()
						+ ", stop it or give this one its own directory in 'stomp.broker.store.path'. "
						+ "Otherwise make the directory writable by this process, or set 'stomp.broker.store.path' "
						+ "to one that is. Without 'stomp.broker.store.path' persistent messages live in memory.",
				cause);
	}

}
