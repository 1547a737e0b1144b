package io.github.stompspringboot.broker;

import java.nio.file.Path;

/**
 * The durable message store could not be opened at its path: the directory cannot be
 * created or written, or another process holds the store's lock.
 */
public class MessageStoreUnavailableException extends RuntimeException {

	private final Path path;

	private final String reason;

	/**
	 * @param reason why, in words a person can act on ("it is not writable (...)")
	 */
	public MessageStoreUnavailableException(Path path, String reason, Throwable cause) {
		super("The message store at " + path + " cannot be used: " + reason, cause);
		this.path = path;
		this.reason = reason;
	}

	public MessageStoreUnavailableException(Path path, Throwable cause) {
		this(path, String.valueOf(cause.getMessage()), cause);
	}

	/** The directory the store was asked to open. */
	public Path getPath() {
		return this.path;
	}

	/** Why it could not be opened. */
	public String getReason() {
		return this.reason;
	}

}
