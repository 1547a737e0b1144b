package io.github.stompspringboot.broker;

/**
 * A frame broke the protocol or a rule of the broker. It carries what the ERROR frame
 * says: a short {@code message} header a person can act on and an optional longer body.
 */
public class StompProtocolException extends RuntimeException {

	private final String details;

	public StompProtocolException(String message) {
		this(message, null);
	}

	public StompProtocolException(String message, String details) {
		super(message, null, false, false);
		this.details = details;
	}

	/** The ERROR frame's body, or {@code null} for none. */
	public String details() {
		return this.details;
	}

}
