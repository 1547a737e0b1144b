package io.github.stompspringboot.broker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Builds the frames the broker sends. Each is a fresh message with a mutable accessor,
 * which is what Spring's relay expects to find on frames coming from a broker.
 */
final class StompFrames {

	private static final byte[] EMPTY = new byte[0];

	private StompFrames() {
	}

	static Message<byte[]> connected(StompVersion version, String sessionId, String server, long sendMillis,
			long receiveMillis) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.CONNECTED);
		accessor.setNativeHeader("version", version.text());
		accessor.setNativeHeader("heart-beat", sendMillis + "," + receiveMillis);
		accessor.setNativeHeader("session", sessionId);
		accessor.setNativeHeader("server", server);
		return build(accessor, EMPTY);
	}

	static Message<byte[]> receipt(String receiptId) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.RECEIPT);
		accessor.setReceiptId(receiptId);
		return build(accessor, EMPTY);
	}

	static Message<byte[]> error(String message, String details, String receiptId) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage(message);
		if (receiptId != null) {
			accessor.setReceiptId(receiptId);
		}
		if (details == null) {
			return build(accessor, EMPTY);
		}
		accessor.setContentType(org.springframework.util.MimeTypeUtils.TEXT_PLAIN);
		return build(accessor, details.getBytes(StandardCharsets.UTF_8));
	}

	static Message<byte[]> versionError(String offered) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage("Supported protocol versions are " + StompVersion.SUPPORTED);
		accessor.setNativeHeader("version", StompVersion.SUPPORTED);
		accessor.setContentType(org.springframework.util.MimeTypeUtils.TEXT_PLAIN);
		return build(accessor,
				("The client accepts " + offered + "; this broker speaks " + StompVersion.SUPPORTED + ".")
					.getBytes(StandardCharsets.UTF_8));
	}

	static Message<byte[]> message(BrokerMessage message, String subscriptionId, String ackId) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.MESSAGE);
		for (Map.Entry<String, List<String>> header : message.headers().entrySet()) {
			accessor.setNativeHeaderValues(header.getKey(), header.getValue());
		}
		accessor.setDestination(message.destination());
		accessor.setSubscriptionId(subscriptionId);
		accessor.setMessageId(message.messageId());
		if (ackId != null) {
			accessor.setNativeHeader("ack", ackId);
		}
		if (message.isRedelivered()) {
			accessor.setNativeHeader("redelivered", "true");
		}
		return build(accessor, message.body());
	}

	private static Message<byte[]> build(StompHeaderAccessor accessor, byte[] body) {
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

}
