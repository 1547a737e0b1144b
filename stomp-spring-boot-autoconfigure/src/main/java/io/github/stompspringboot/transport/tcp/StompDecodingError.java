package io.github.stompspringboot.transport.tcp;

/**
 * What the decoder hands on instead of a frame when the bytes break the protocol: the
 * ERROR frame's message and details. Everything after it on the connection is discarded.
 */
final class StompDecodingError extends RuntimeException {

	private final String details;

	StompDecodingError(String message, String details) {
		super(message, null, false, false);
		this.details = details;
	}

	String details() {
		return this.details;
	}

}
