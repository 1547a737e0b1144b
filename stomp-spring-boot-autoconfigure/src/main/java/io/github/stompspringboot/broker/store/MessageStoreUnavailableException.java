package io.github.stompspringboot.broker.store;

import java.nio.file.Path;

/** The durable store's directory cannot be used: not writable, or locked by another broker. */
public class MessageStoreUnavailableException extends RuntimeException {

	private final Path directory;

	private final String reason;

	public MessageStoreUnavailableException(Path directory, String reason, Throwable cause) {
		super("The message store directory " + directory + " cannot be used: " + reason, cause);
		this.directory = directory;
		this.reason = reason;
	}

	public Path getDirectory() {
		return this.directory;
	}

	/** Why, in words a person can act on. */
	public String getReason() {
		return this.reason;
	}

}
