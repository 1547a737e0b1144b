package io.github.stompspringboot.broker;

import java.nio.file.Path;

/**
 * The durable message store could not be opened at its path: the directory cannot be
 * created or written, or another process holds the store's lock.
 */
public class MessageStoreUnavailableException extends RuntimeException {

	private final Path path;

	public MessageStoreUnavailableException(Path path, Throwable cause) {
		super("The message store at " + path + " cannot be opened: " + cause.getMessage(), cause);
		this.path = path;
	}

	/** The directory the store was asked to open. */
	public Path getPath() {
		return this.path;
	}

}
