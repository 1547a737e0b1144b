package io.github.stompspringboot.broker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A message as the broker keeps it between SEND and MESSAGE: immutable, shared by every
 * delivery of it. The headers are the sender's own ({@code content-type}, custom headers)
 * without the frame-level ones ({@code receipt}, {@code transaction},
 * {@code content-length}).
 */
public final class BrokerMessage {

	/** Highest message priority; 0 is the lowest. */
	public static final int MAX_PRIORITY = 9;

	/** Priority of a message without a valid {@code priority} header, as in JMS. */
	public static final int DEFAULT_PRIORITY = 4;

	private final String messageId;

	private final String destination;

	private final Map<String, List<String>> headers;

	/** {@code null} while the body is kept by {@link #bodySource} instead. */
	private final byte[] body;

	private final BodySource bodySource;

	private final int deliveryCount;

	private final boolean persistent;

	private final long expiration;

	private final long storeId;

	private static final VarHandle HEADS = MethodHandles.arrayElementVarHandle(byte[][].class);

	private static final int VERSIONS = StompVersion.values().length;

	/**
	 * A transport's encoding of what every delivery of this message shares, one per STOMP
	 * version, made on first use; see {@link #encodedHead}.
	 */
	private volatile byte[][] heads;

	public BrokerMessage(String messageId, String destination, Map<String, List<String>> headers, byte[] body) {
		this(messageId, destination, headers, body, 0, false, 0, 0);
	}

	/**
	 * The full form, used by message stores to bring a message back.
	 * @param expiration epoch millis after which it is not delivered, 0 for never
	 * @param storeId the store's key for it, 0 while it is not stored
	 */
	public BrokerMessage(String messageId, String destination, Map<String, List<String>> headers, byte[] body,
			int deliveryCount, boolean persistent, long expiration, long storeId) {
		this(messageId, destination, headers, body, null, deliveryCount, persistent, expiration, storeId);
	}

	/**
	 * A message brought back by a store that keeps its body on disk and reads it when the
	 * message is delivered, so a deep queue recovered at restart does not hold every body
	 * in the heap.
	 */
	public BrokerMessage(String messageId, String destination, Map<String, List<String>> headers, BodySource bodySource,
			int deliveryCount, boolean persistent, long expiration, long storeId) {
		this(messageId, destination, headers, null, bodySource, deliveryCount, persistent, expiration, storeId);
	}

	private BrokerMessage(String messageId, String destination, Map<String, List<String>> headers, byte[] body,
			BodySource bodySource, int deliveryCount, boolean persistent, long expiration, long storeId) {
		this.messageId = messageId;
		this.destination = destination;
		this.headers = headers;
		this.body = body;
		this.bodySource = bodySource;
		this.deliveryCount = deliveryCount;
		this.persistent = persistent;
		this.expiration = expiration;
		this.storeId = storeId;
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

	/**
	 * Its {@code priority} header, 0 to 9 (higher values clamped to 9, lower to 0), or
	 * {@link #DEFAULT_PRIORITY} when absent or not a number.
	 */
	public int priority() {
		String value = header("priority");
		if (value == null || value.isEmpty() || value.length() > 10) {
			return DEFAULT_PRIORITY;
		}
		try {
			return Math.max(0, Math.min(MAX_PRIORITY, Integer.parseInt(value.trim())));
		}
		catch (NumberFormatException ex) {
			return DEFAULT_PRIORITY;
		}
	}

	/**
	 * The body; read from the store's disk each time for a message whose body the store
	 * keeps there (see {@link BodySource}).
	 */
	public byte[] body() {
		return (this.body != null) ? this.body : this.bodySource.read();
	}

	/** The body's length in bytes, without reading a body kept on disk. */
	public int bodyLength() {
		return (this.body != null) ? this.body.length : this.bodySource.length();
	}

	/** How many times it went out and came back un-acknowledged. */
	public int deliveryCount() {
		return this.deliveryCount;
	}

	public boolean isRedelivered() {
		return this.deliveryCount > 0;
	}

	/**
	 * Whether it must survive a broker restart (SEND with {@code persistent:true}, or a
	 * persistent destination).
	 */
	public boolean isPersistent() {
		return this.persistent;
	}

	/** Epoch millis after which it is not delivered; 0 for never. */
	public long expiration() {
		return this.expiration;
	}

	public boolean isExpired(long nowMillis) {
		return this.expiration > 0 && nowMillis >= this.expiration;
	}

	/** The message store's key for this copy; 0 when it is not in a durable store. */
	public long storeId() {
		return this.storeId;
	}

	/**
	 * The bytes every MESSAGE frame of this delivery shares in {@code version} (command,
	 * the sender's headers, destination, message-id, redelivered), encoded by
	 * {@code encoder} on first use and kept: a topic with a hundred subscribers escapes
	 * and encodes the headers once, not a hundred times. Any thread may call it; two that
	 * race may both encode, and either result is kept (they are equal). The encoder must
	 * be a pure function of the message and version.
	 */
	public byte[] encodedHead(StompVersion version, BiFunction<BrokerMessage, StompVersion, byte[]> encoder) {
		byte[][] cache = this.heads;
		if (cache == null) {
			cache = new byte[VERSIONS][];
			this.heads = cache;
		}
		byte[] head = (byte[]) HEADS.getAcquire(cache, version.ordinal());
		if (head == null) {
			head = encoder.apply(this, version);
			HEADS.setRelease(cache, version.ordinal(), head);
		}
		return head;
	}

	/**
	 * The same message without the encodings {@link #encodedHead} kept: for a copy that
	 * waits in a queue long after this one was delivered.
	 */
	public BrokerMessage withoutEncodings() {
		return new BrokerMessage(this.messageId, this.destination, this.headers, this.body, this.bodySource,
				this.deliveryCount, this.persistent, this.expiration, this.storeId);
	}

	/** The same message after a delivery that was not acknowledged. */
	public BrokerMessage redelivered() {
		return new BrokerMessage(this.messageId, this.destination, this.headers, this.body, this.bodySource,
				this.deliveryCount + 1, this.persistent, this.expiration, this.storeId);
	}

	/** The same message with the given delivery count (as a store recovers it). */
	public BrokerMessage withDeliveryCount(int deliveryCount) {
		return new BrokerMessage(this.messageId, this.destination, this.headers, this.body, this.bodySource,
				deliveryCount, this.persistent, this.expiration, this.storeId);
	}

	/** The same message as stored under the given key. */
	public BrokerMessage stored(long storeId) {
		return new BrokerMessage(this.messageId, this.destination, this.headers, this.body, this.bodySource,
				this.deliveryCount, this.persistent, this.expiration, storeId);
	}

	/**
	 * A copy bound for another destination (a dead-letter queue, say) with extra headers.
	 */
	public BrokerMessage movedTo(String destination, Map<String, List<String>> headers) {
		return new BrokerMessage(this.messageId, destination, headers, this.body, this.bodySource, 0, this.persistent,
				0, 0);
	}

	/**
	 * Where a store keeps a recovered message's body instead of the heap; read on every
	 * delivery, from any thread.
	 */
	public interface BodySource {

		int length();

		/** The body, read afresh; fails with an unchecked exception if it cannot be. */
		byte[] read();

	}

}
