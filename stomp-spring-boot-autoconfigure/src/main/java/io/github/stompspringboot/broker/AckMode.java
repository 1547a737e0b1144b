package io.github.stompspringboot.broker;

/**
 * How a subscription acknowledges what it receives: the SUBSCRIBE frame's {@code ack}
 * header.
 */
public enum AckMode {

	/** Delivered is acknowledged: nothing to track. */
	AUTO("auto"),

	/**
	 * An ACK acknowledges that message and every earlier un-acked one of the
	 * subscription.
	 */
	CLIENT("client"),

	/** An ACK or NACK covers exactly one message. */
	CLIENT_INDIVIDUAL("client-individual");

	private final String headerValue;

	AckMode(String headerValue) {
		this.headerValue = headerValue;
	}

	public String headerValue() {
		return this.headerValue;
	}

	/**
	 * The mode a header names; {@code null} (absent header) is auto, an unknown name is
	 * {@code null}.
	 */
	public static AckMode fromHeader(String header) {
		if (header == null) {
			return AUTO;
		}
		for (AckMode mode : values()) {
			if (mode.headerValue.equals(header)) {
				return mode;
			}
		}
		return null;
	}

}
