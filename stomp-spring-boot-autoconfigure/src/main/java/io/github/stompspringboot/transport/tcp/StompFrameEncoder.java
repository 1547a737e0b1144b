package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.StompVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

/**
 * Writes a frame the way the session's STOMP version reads it: no escaping in 1.0 or in
 * CONNECTED (where a line break in a value becomes a space), LF/colon/backslash in 1.1,
 * and CR too in 1.2. Every frame with a body gets a {@code content-length}, so bodies
 * holding NUL bytes arrive whole, and every frame ends with NUL and one EOL.
 */
final class StompFrameEncoder {

	/**
	 * Headers of a MESSAGE the broker sets itself: a sender's header of the same name (a
	 * stored message's, say) never reaches the wire in their place.
	 */
	private static final byte[] MESSAGE = "MESSAGE\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] ACK = "ack:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DESTINATION = "destination:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] MESSAGE_ID = "message-id:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] REDELIVERED = "redelivered:true\n".getBytes(StandardCharsets.US_ASCII);

	/** Where a message's shared head is written before it is copied out, per thread. */
	private static final ThreadLocal<ByteBuf> SCRATCH = ThreadLocal.withInitial(() -> Unpooled.buffer(512));

	private static final int MAX_KEPT_SCRATCH = 64 * 1024;

	private StompFrameEncoder() {
	}

	/**
	 * A MESSAGE frame for one subscriber, as {@link #encode} would write
	 * {@code StompFrames.message(message, subscriptionId, ackId)} (the headers in another
	 * order, which STOMP leaves free): the part every subscriber's copy shares
	 * (content-length included) is encoded once per message and version
	 * ({@link BrokerMessage#encodedHead}) and copied, then this subscriber's
	 * {@code subscription} line (see {@link #subscriptionLine}) and {@code ack} header,
	 * and the body. No frame model, header map or string is made per delivery.
	 */
	static ByteBuf encodeMessage(BrokerMessage message, byte[] subscriptionLine, String ackId, StompVersion version,
			ByteBufAllocator allocator) {
		byte[] head = message.encodedHead(version, StompFrameEncoder::messageHead);
		byte[] body = message.body();
		int ackLength = (ackId != null) ? 3 * ackId.length() + 6 : 0;
		ByteBuf out = allocator.buffer(head.length + subscriptionLine.length + ackLength + body.length + 3);
		out.writeBytes(head);
		out.writeBytes(subscriptionLine);
		if (ackId != null) {
			out.writeBytes(ACK);
			writeText(out, ackId, version.escapesHeaders(), version);
			out.writeByte('\n');
		}
		writeBodyAndEnd(out, body);
		return out;
	}

	/**
	 * The {@code subscription} header line of a subscriber's MESSAGE frames, escaped for
	 * the version: made once per subscription, not per delivery.
	 */
	static byte[] subscriptionLine(String subscriptionId, StompVersion version) {
		ByteBuf line = Unpooled.buffer(16 + 3 * subscriptionId.length());
		writeHeader(line, "subscription", subscriptionId, version.escapesHeaders(), version);
		return ByteBufUtil.getBytes(line);
	}

	/**
	 * What every delivery of a message shares: command, the sender's headers,
	 * destination, message-id, redelivered and content-length, escaped for the version.
	 */
	private static byte[] messageHead(BrokerMessage message, StompVersion version) {
		ByteBuf scratch = SCRATCH.get();
		scratch.clear();
		boolean escape = version.escapesHeaders();
		scratch.writeBytes(MESSAGE);
		for (Map.Entry<String, List<String>> header : message.headers().entrySet()) {
			if (isBrokerMessageHeader(header.getKey())) {
				continue;
			}
			for (String value : header.getValue()) {
				writeHeader(scratch, header.getKey(), value, escape, version);
			}
		}
		scratch.writeBytes(DESTINATION);
		writeText(scratch, message.destination(), escape, version);
		scratch.writeByte('\n');
		scratch.writeBytes(MESSAGE_ID);
		writeText(scratch, message.messageId(), escape, version);
		scratch.writeByte('\n');
		if (message.isRedelivered()) {
			scratch.writeBytes(REDELIVERED);
		}
		scratch.writeBytes(CONTENT_LENGTH);
		scratch.writeCharSequence(Integer.toString(message.bodyLength()), StandardCharsets.US_ASCII);
		scratch.writeByte('\n');
		byte[] head = ByteBufUtil.getBytes(scratch);
		if (scratch.capacity() > MAX_KEPT_SCRATCH) {
			SCRATCH.remove(); // a huge header set once is not kept per thread for good
		}
		return head;
	}

	/**
	 * The headers the broker writes into every MESSAGE itself: a sender's own are not
	 * passed on.
	 */
	private static boolean isBrokerMessageHeader(String name) {
		return switch (name) {
			case "content-length", "destination", "message-id", "subscription", "ack", "redelivered" -> true;
			default -> false;
		};
	}

	private static void writeHeader(ByteBuf out, String name, String value, boolean escape, StompVersion version) {
		writeText(out, name, escape, version);
		out.writeByte(':');
		writeText(out, value, escape, version);
		out.writeByte('\n');
	}

	static ByteBuf encode(Message<byte[]> frame, StompVersion version, ByteBufAllocator allocator) {
		StompCommand command;
		Map<String, List<String>> headers;
		if (MessageHeaderAccessor.getAccessor(frame, StompHeaderAccessor.class) != null) {
			// The engine's own frames (StompFrames) keep their StompHeaderAccessor, whose
			// setters already wrote every native header: read them in place rather than
			// copy them twice (wrap, then toNativeHeaderMap) for every MESSAGE.
			command = StompHeaderAccessor.getCommand(frame.getHeaders());
			headers = nativeHeaders(frame);
		}
		else {
			StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
			command = accessor.getCommand();
			headers = accessor.toNativeHeaderMap();
		}
		byte[] body = frame.getPayload();
		ByteBuf out = allocator.buffer(64 + 32 * headers.size() + body.length);
		out.writeCharSequence(command.name(), StandardCharsets.US_ASCII);
		out.writeByte('\n');
		boolean escape = command != StompCommand.CONNECTED && version.escapesHeaders();
		for (Map.Entry<String, List<String>> header : headers.entrySet()) {
			if ("content-length".equals(header.getKey())) {
				continue;
			}
			for (String value : header.getValue()) {
				writeText(out, header.getKey(), escape, version);
				out.writeByte(':');
				writeText(out, value, escape, version);
				out.writeByte('\n');
			}
		}
		if (body.length > 0 || command == StompCommand.MESSAGE) {
			out.writeCharSequence("content-length:", StandardCharsets.US_ASCII);
			out.writeCharSequence(Integer.toString(body.length), StandardCharsets.US_ASCII);
			out.writeByte('\n');
		}
		writeBodyAndEnd(out, body);
		return out;
	}

	/** The blank line that ends the headers, the body, its NUL and an EOL. */
	private static void writeBodyAndEnd(ByteBuf out, byte[] body) {
		out.writeByte('\n');
		out.writeBytes(body);
		out.writeByte(0);
		// An EOL after the NUL, as ActiveMQ writes it and the spec allows: PHP's Stomp
		// extension reads one byte past every NUL and would eat the next frame's first
		// one.
		out.writeByte('\n');
	}

	@SuppressWarnings("unchecked")
	private static Map<String, List<String>> nativeHeaders(Message<byte[]> frame) {
		Map<String, List<String>> headers = (Map<String, List<String>>) frame.getHeaders()
			.get(NativeMessageHeaderAccessor.NATIVE_HEADERS);
		return (headers != null) ? headers : Collections.emptyMap();
	}

	private static void writeText(ByteBuf out, String text, boolean escape, StompVersion version) {
		if (!needsEscaping(text)) {
			out.writeCharSequence(text, StandardCharsets.UTF_8);
			return;
		}
		if (!escape) {
			// 1.0 (and CONNECTED) cannot escape a line break; written raw it would end
			// the header line and let a sender's header value forge headers in another
			// client's frame.
			out.writeCharSequence(text.replace('\n', ' ').replace('\r', ' '), StandardCharsets.UTF_8);
			return;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\n' -> escaped.append("\\n");
				case ':' -> escaped.append("\\c");
				case '\\' -> escaped.append("\\\\");
				case '\r' -> escaped.append(version.escapesCarriageReturn() ? "\\r" : "\r");
				default -> escaped.append(c);
			}
		}
		out.writeCharSequence(escaped, StandardCharsets.UTF_8);
	}

	private static boolean needsEscaping(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\n' || c == ':' || c == '\\' || c == '\r') {
				return true;
			}
		}
		return false;
	}

}
