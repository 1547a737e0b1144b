package io.github.stompspringboot.autoconfigure;

import io.github.stompspringboot.broker.MessageStoreUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The store directory is locked by another process or cannot be written: say which, and where. */
class MessageStoreUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<MessageStoreUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MessageStoreUnavailableException cause) {
		Throwable reason = (cause.getCause() != null) ? cause.getCause() : cause;
		return new FailureAnalysis(
				"The embedded STOMP broker could not open its durable message store in " + cause.getPath() + ": "
						+ reason.getMessage(),
				"If another process (perhaps another instance of this application) uses " + cause.getPath()
						+ ", stop it or give this one its own directory in 'stomp.broker.store.path'. "
						+ "Otherwise make the directory writable by this process, or set 'stomp.broker.store.path' "
						+ "to one that is. Without 'stomp.broker.store.path' persistent messages live in memory.",
				cause);
	}

}
