package io.github.stompspringboot.broker;

import java.util.List;
import java.util.Map;

/**
 * A message as the broker keeps it between SEND and MESSAGE: immutable, shared by every
 * delivery of it. The headers are the sender's own ({@code content-type}, custom headers)
 * without the frame-level ones ({@code receipt}, {@code transaction}, {@code content-length}).
 */
public final class BrokerMessage {

	private final String messageId;

	private final String destination;

	private final Map<String, List<String>> headers;

	private final byte[] body;

	private final int deliveryCount;

	public BrokerMessage(String messageId, String destination, Map<String, List<String>> headers, byte[] body) {
		this(messageId, destination, headers, body, 0);
	}

	private BrokerMessage(String messageId, String destination, Map<String, List<String>> headers, byte[] body,
			int deliveryCount) {
		this.messageId = messageId;
		this.destination = destination;
		this.headers = headers;
		this.body = body;
		this.deliveryCount = deliveryCount;
	}

	public String messageId() {
		return this.messageId;
	}

	public String destination() {
		return this.destination;
	}

	public Map<String, List<String>> headers() {
		return this.headers;
	}

	public String header(String name) {
		List<String> values = this.headers.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	public byte[] body() {
		return this.body;
	}

	/** How many times it went out and came back un-acknowledged. */
	public int deliveryCount() {
		return this.deliveryCount;
	}

	public boolean isRedelivered() {
		return this.deliveryCount > 0;
	}

	/** The same message after a delivery that was not acknowledged. */
	public BrokerMessage redelivered() {
		return new BrokerMessage(this.messageId, this.destination, this.headers, this.body, this.deliveryCount + 1);
	}

	/** A copy bound for another destination (a dead-letter queue, say) with extra headers. */
	public BrokerMessage movedTo(String destination, Map<String, List<String>> headers) {
		return new BrokerMessage(this.messageId, destination, headers, this.body, 0);
	}

}
