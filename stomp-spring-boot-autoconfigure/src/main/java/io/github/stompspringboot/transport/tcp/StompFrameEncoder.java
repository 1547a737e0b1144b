package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.github.stompspringboot.broker.StompVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

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

	private StompFrameEncoder() {
	}

	static ByteBuf encode(Message<byte[]> frame, StompVersion version, ByteBufAllocator allocator) {
		StompCommand command;
		Map<String, List<String>> headers;
		if (MessageHeaderAccessor.getAccessor(frame, StompHeaderAccessor.class) != null) {
			// The engine's own frames (StompFrames) keep their StompHeaderAccessor, whose
			// setters
			// already wrote every native header: read them in place rather than copy them
			// twice
			// (wrap, then toNativeHeaderMap) for every MESSAGE.
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
		out.writeByte('\n');
		out.writeBytes(body);
		out.writeByte(0);
		// An EOL after the NUL, as ActiveMQ writes it and the spec allows: PHP's Stomp
		// extension reads one byte past every NUL and would eat the next frame's first
		// one.
		out.writeByte('\n');
		return out;
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
			// the header
			// line and let a sender's header value forge headers in another client's
			// frame.
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
