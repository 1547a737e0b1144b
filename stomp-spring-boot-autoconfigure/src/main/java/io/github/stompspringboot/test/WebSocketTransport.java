package io.github.stompspringboot.test;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * A plain WebSocket (no SockJS) through Spring's JSR-356 client; frames as text messages.
 */
final class WebSocketTransport implements Transport {

	private static final long CONNECT_TIMEOUT_SECONDS = 10;

	private final WebSocketSession session;

	private WebSocketTransport(WebSocketSession session) {
		this.session = session;
	}

	static Factory factory(URI url) {
		return (received, closed) -> {
			Handler handler = new Handler(received, closed);
			try {
				WebSocketSession session = new StandardWebSocketClient()
					.execute(handler, new WebSocketHttpHeaders(), url)
					.get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
				return new WebSocketTransport(session);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted connecting to " + url, ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new IOException("Could not open a WebSocket to " + url, ex);
			}
		};
	}

	@Override
	public synchronized void send(byte[] frame) throws IOException {
		// STOMP over WebSocket is text frames (what stomp.js sends); bodies here are
		// UTF-8.
		this.session.sendMessage(new TextMessage(new String(frame, StandardCharsets.UTF_8)));
	}

	@Override
	public void close() {
		try {
			this.session.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

	private static final class Handler extends AbstractWebSocketHandler {

		private final Consumer<ByteBuffer> received;

		private final Runnable closed;

		Handler(Consumer<ByteBuffer> received, Runnable closed) {
			this.received = received;
			this.closed = closed;
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			this.received.accept(ByteBuffer.wrap(message.getPayload().getBytes(StandardCharsets.UTF_8)));
		}

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
			this.received.accept(message.getPayload());
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.closed.run();
		}

	}

}
