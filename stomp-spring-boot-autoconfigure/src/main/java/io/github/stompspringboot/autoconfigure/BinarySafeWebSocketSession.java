package io.github.stompspringboot.autoconfigure;

import java.io.IOException;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * A plain WebSocket session that sends a STOMP frame which is not valid UTF-8 (a binary
 * body without an {@code application/octet-stream} content-type) as a binary WebSocket
 * message, byte for byte, where Spring would send it as text and the container would
 * replace each invalid byte with U+FFFD. Valid UTF-8 stays a text message, as browsers'
 * STOMP clients expect.
 */
final class BinarySafeWebSocketSession extends WebSocketSessionDecorator {

	BinarySafeWebSocketSession(WebSocketSession session) {
		super(session);
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		if (message instanceof TextMessage text && message.isLast()) {
			byte[] bytes = text.asBytes();
			if (!isValidUtf8(bytes)) {
				super.sendMessage(new BinaryMessage(bytes));
				return;
			}
		}
		super.sendMessage(message);
	}

	static boolean isValidUtf8(byte[] bytes) {
		int i = 0;
		int length = bytes.length;
		while (i < length) {
			int b = bytes[i];
			if (b >= 0) {
				i++;
				continue;
			}
			int lead = b & 0xFF;
			int continuation;
			int min;
			if (lead >= 0xC2 && lead <= 0xDF) {
				continuation = 1;
				min = 0x80;
			}
			else if (lead >= 0xE0 && lead <= 0xEF) {
				continuation = 2;
				min = 0x800;
			}
			else if (lead >= 0xF0 && lead <= 0xF4) {
				continuation = 3;
				min = 0x10000;
			}
			else {
				return false;
			}
			if (i + continuation >= length) {
				return false;
			}
			int codePoint = lead & (0x3F >> continuation);
			for (int k = 1; k <= continuation; k++) {
				int next = bytes[i + k] & 0xFF;
				if ((next & 0xC0) != 0x80) {
					return false;
				}
				codePoint = (codePoint << 6) | (next & 0x3F);
			}
			if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
				return false;
			}
			i += continuation + 1;
		}
		return true;
	}

}
