package io.github.stompspringboot.broker;

import java.util.List;

/**
 * A STOMP protocol version and the few rules that differ between versions: how header
 * values are escaped, and how a client names the message it acknowledges.
 */
public enum StompVersion {

	V1_0("1.0"), V1_1("1.1"), V1_2("1.2");

	/**
	 * What CONNECTED and version ERROR frames list, highest last as the spec writes it.
	 */
	public static final String SUPPORTED = "1.0,1.1,1.2";

	private final String text;

	StompVersion(String text) {
		this.text = text;
	}

	public String text() {
		return this.text;
	}

	/**
	 * The highest version both sides speak, from a CONNECT frame's {@code accept-version}
	 * header; {@code null} header means a 1.0 client, and {@code null} result means no
	 * common version.
	 */
	public static StompVersion negotiate(List<String> acceptVersion) {
		if (acceptVersion == null || acceptVersion.isEmpty()) {
			return V1_0;
		}
		StompVersion best = null;
		for (String header : acceptVersion) {
			for (String offered : header.split(",")) {
				StompVersion version = fromText(offered.trim());
				if (version != null && (best == null || version.compareTo(best) > 0)) {
					best = version;
				}
			}
		}
		return best;
	}

	private static StompVersion fromText(String text) {
		for (StompVersion version : values()) {
			if (version.text.equals(text)) {
				return version;
			}
		}
		return null;
	}

	/** 1.0 has no header escaping; 1.1 escapes LF, colon and backslash; 1.2 also CR. */
	public boolean escapesHeaders() {
		return this != V1_0;
	}

	public boolean escapesCarriageReturn() {
		return this == V1_2;
	}

	/**
	 * 1.2 acknowledges by the MESSAGE's {@code ack} header, earlier versions by
	 * {@code message-id}.
	 */
	public boolean acksById() {
		return this == V1_2;
	}

	/**
	 * 1.1 and 1.2 require a subscription id; 1.0 allows the destination to stand for it.
	 */
	public boolean requiresSubscriptionId() {
		return this != V1_0;
	}

	public boolean supportsNack() {
		return this != V1_0;
	}

}
