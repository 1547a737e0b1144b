package io.github.stompspringboot.broker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

/**
 * What a client frame's headers say, read without any session's state: the names of the
 * headers {@link StompHeaderAccessor} has no constant for (the spec's
 * {@code transaction}, and the extensions of RabbitMQ, ActiveMQ and Artemis this broker
 * speaks), and the parsing that turns their values into settings or into the ERROR naming
 * what is wrong.
 */
final class FrameHeaders {

	static final String TRANSACTION = "transaction";

	static final String CLIENT_ID = "client-id";

	static final String REPLY_TO = "reply-to";

	static final String PERSISTENT = "persistent";

	/** Epoch millis after which the message is not delivered, 0 for never. */
	static final String EXPIRES = "expires";

	static final String REDELIVERED = "redelivered";

	/** A JMS (SQL-92) condition on message headers a SUBSCRIBE filters by. */
	static final String SELECTOR = "selector";

	/** The un-acked window of a SUBSCRIBE, as RabbitMQ names it. */
	static final String PREFETCH_COUNT = "prefetch-count";

	/** The un-acked window of a SUBSCRIBE, as ActiveMQ names it. */
	static final String ACTIVEMQ_PREFETCH_SIZE = "activemq.prefetchSize";

	/** Names a durable topic subscription, as Artemis does. */
	static final String DURABLE_SUBSCRIPTION_NAME = "durable-subscription-name";

	/** Names a durable topic subscription, as ActiveMQ does. */
	static final String ACTIVEMQ_SUBSCRIPTION_NAME = "activemq.subscriptionName";

	/**
	 * The user destination a client named ({@code /user/queue/reply}), where Spring's
	 * user destination handler leaves it on the frame it translated.
	 */
	static final String ORIGINAL_DESTINATION = "simpOrigDestination";

	/** RabbitMQ's first. */
	private static final List<String> PREFETCH_HEADERS = List.of(PREFETCH_COUNT, ACTIVEMQ_PREFETCH_SIZE);

	/** Frame-level headers of a SEND that do not travel on to the MESSAGE. */
	private static final List<String> SEND_ONLY_HEADERS = List.of(StompHeaderAccessor.STOMP_RECEIPT_HEADER, TRANSACTION,
			StompHeaderAccessor.STOMP_CONTENT_LENGTH_HEADER, StompHeaderAccessor.STOMP_DESTINATION_HEADER,
			StompHeaderAccessor.STOMP_MESSAGE_ID_HEADER, StompHeaderAccessor.STOMP_SUBSCRIPTION_HEADER,
			StompHeaderAccessor.STOMP_ACK_HEADER, REDELIVERED);

	private FrameHeaders() {
	}

	/** The body's size and the number of headers, each against its limit. */
	static void checkLimits(StompHeaderAccessor frame, byte[] body, BrokerSettings settings) {
		if (body.length > settings.getMaxFrameSize()) {
			throw new StompProtocolException("Frame too large", "The body has " + body.length
					+ " bytes; the broker accepts at most " + settings.getMaxFrameSize() + ".");
		}
		// The accessor's own map, counted in place: toNativeHeaderMap() would copy it per
		// frame.
		Map<?, ?> headers = (Map<?, ?>) frame.getHeader(NativeMessageHeaderAccessor.NATIVE_HEADERS);
		int headerCount = (headers != null) ? headers.size() : 0;
		if (headerCount > settings.getMaxHeaders()) {
			throw new StompProtocolException("Too many headers", "The frame has " + headerCount
					+ " headers; the broker accepts at most " + settings.getMaxHeaders() + ".");
		}
	}

	/** A header the command cannot do without, neither absent nor empty. */
	static String require(StompHeaderAccessor frame, String name, String command) {
		String value = frame.getFirstNativeHeader(name);
		if (value == null || value.isEmpty()) {
			throw new StompProtocolException("Missing '" + name + "' header on " + command,
					command + " frames must name a " + name + ".");
		}
		return value;
	}

	/**
	 * A CONNECT's {@code heart-beat}: how often the client beats and how often it wants
	 * the broker to, in millis; {@code 0,0} when absent.
	 */
	static long[] heartBeat(StompHeaderAccessor frame) {
		String header = frame.getFirstNativeHeader(StompHeaderAccessor.STOMP_HEARTBEAT_HEADER);
		if (header == null || header.isBlank()) {
			return new long[] { 0, 0 };
		}
		String[] parts = header.split(",");
		try {
			if (parts.length == 2) {
				long cx = Long.parseLong(parts[0].trim());
				long cy = Long.parseLong(parts[1].trim());
				if (cx >= 0 && cy >= 0) {
					return new long[] { cx, cy };
				}
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new StompProtocolException("Invalid heart-beat header",
				"heart-beat must be two non-negative integers such as 10000,10000, not '" + header + "'.");
	}

	/** A copy of a SEND's headers without those about the frame: the MESSAGE's. */
	@SuppressWarnings("unchecked")
	static Map<String, List<String>> messageHeaders(StompHeaderAccessor frame) {
		// One copy of the frame's own map without the frame-level headers, rather than a
		// copy and then removals: this runs for every SEND.
		Map<String, List<String>> nativeHeaders = (Map<String, List<String>>) frame
			.getHeader(NativeMessageHeaderAccessor.NATIVE_HEADERS);
		Map<String, List<String>> headers = new LinkedHashMap<>(
				(nativeHeaders != null) ? (int) (nativeHeaders.size() / 0.75f) + 1 : 4);
		if (nativeHeaders != null) {
			for (Map.Entry<String, List<String>> header : nativeHeaders.entrySet()) {
				if (!SEND_ONLY_HEADERS.contains(header.getKey())) {
					headers.put(header.getKey(), header.getValue());
				}
			}
		}
		return headers;
	}

	static boolean isPersistent(StompHeaderAccessor frame) {
		return "true".equalsIgnoreCase(frame.getFirstNativeHeader(PERSISTENT));
	}

	/**
	 * A SEND's {@code expires} (epoch millis, 0 for never), or -1 if it has none, and the
	 * destination's time-to-live decides.
	 */
	static long expires(StompHeaderAccessor frame) {
		String expires = frame.getFirstNativeHeader(EXPIRES);
		if (expires == null || expires.isBlank()) {
			return -1;
		}
		try {
			long at = Long.parseLong(expires.trim());
			if (at >= 0) {
				return at;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new StompProtocolException("Invalid expires header '" + expires + "'",
				"expires is the time in milliseconds since the epoch after which the message is not "
						+ "delivered, or 0 for never.");
	}

	/** A SUBSCRIBE's {@code ack} mode, auto when absent. */
	static AckMode ackMode(StompHeaderAccessor frame) {
		String header = frame.getAck();
		AckMode ackMode = AckMode.fromHeader(header);
		if (ackMode == null) {
			throw new StompProtocolException("Invalid ack mode '" + header + "'",
					"ack must be auto, client or client-individual.");
		}
		return ackMode;
	}

	/**
	 * The un-acked window a SUBSCRIBE asks for: RabbitMQ clients send
	 * {@code prefetch-count}, ActiveMQ clients {@code activemq.prefetchSize}; 0 is
	 * unlimited, -1 that it asks for none.
	 */
	static int prefetch(StompHeaderAccessor frame) {
		for (String name : PREFETCH_HEADERS) {
			String value = frame.getFirstNativeHeader(name);
			if (value != null) {
				try {
					int prefetch = Integer.parseInt(value.trim());
					if (prefetch >= 0) {
						return prefetch;
					}
				}
				catch (NumberFormatException ex) {
					// reported below
				}
				throw new StompProtocolException("Invalid " + name + " header",
						name + " must be a non-negative integer (0 for no limit), not '" + value + "'.");
			}
		}
		return -1;
	}

	/** A SUBSCRIBE's selector header parsed, {@code null} when it has none. */
	static MessageSelector selector(String selectorHeader) {
		if (selectorHeader == null || selectorHeader.isBlank()) {
			return null;
		}
		try {
			return MessageSelector.parse(selectorHeader);
		}
		catch (MessageSelector.InvalidSelectorException ex) {
			throw new StompProtocolException(ex.getMessage(), "The selector header of SUBSCRIBE is a JMS (SQL-92) "
					+ "condition on message headers, such as: location = 'Europe' AND priority > 3");
		}
	}

	/**
	 * The durable subscription a SUBSCRIBE or UNSUBSCRIBE names, {@code null} for none.
	 */
	static String durableSubscriptionName(StompHeaderAccessor frame) {
		String name = frame.getFirstNativeHeader(DURABLE_SUBSCRIPTION_NAME);
		if (name == null) {
			name = frame.getFirstNativeHeader(ACTIVEMQ_SUBSCRIPTION_NAME);
		}
		return (name != null && !name.isBlank()) ? name : null;
	}

}
