package io.github.stompspringboot.support;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;

import io.github.stompspringboot.support.BrowserStompClient.Transport;

import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

/**
 * A browser-like STOMP client (Spring's {@link WebSocketStompClient}) that carries bodies
 * as bytes and takes frames of several megabytes, as a browser does: its own WebSocket
 * buffers are not what a test of the server's limits should hit. Sends one WebSocket
 * message per frame.
 */
public final class LargeFrameBrowser implements AutoCloseable {

	private static final int CLIENT_LIMIT = 16 * 1024 * 1024;

	private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

	private final StompSession session;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private LargeFrameBrowser(Transport transport, int port) throws Exception {
		this(transport, port, null);
	}

	private LargeFrameBrowser(Transport transport, int port, javax.net.ssl.SSLContext sslContext) throws Exception {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(CLIENT_LIMIT);
		container.setDefaultMaxBinaryMessageBufferSize(CLIENT_LIMIT);
		StandardWebSocketClient webSocket = new StandardWebSocketClient(container);
		WebSocketStompClient client;
		String url;
		if (sslContext != null) {
			webSocket.setSslContext(sslContext);
			client = new WebSocketStompClient(webSocket);
			url = "wss://localhost:" + port + "/stomp";
		}
		else if (transport == Transport.SOCKJS) {
			client = new WebSocketStompClient(new SockJsClient(List.of(new WebSocketTransport(webSocket))));
			url = "http://127.0.0.1:" + port + "/stomp";
		}
		else {
			client = new WebSocketStompClient(webSocket);
			url = "ws://127.0.0.1:" + port + "/stomp";
		}
		// Bytes whatever the content-type: the test compares bodies, not their meaning.
		client.setMessageConverter(new ByteArrayMessageConverter() {
			@Override
			protected boolean supportsMimeType(MessageHeaders headers) {
				return true;
			}
		});
		this.scheduler.setPoolSize(1);
		this.scheduler.setThreadNamePrefix("large-frame-browser-");
		this.scheduler.initialize();
		client.setTaskScheduler(this.scheduler);
		client.setDefaultHeartbeat(new long[] { 0, 0 });
		client.setInboundMessageSizeLimit(CLIENT_LIMIT);
		this.session = client.connectAsync(url, new WebSocketHttpHeaders(), new StompHeaders(), new Errors())
			.get(10, TimeUnit.SECONDS);
	}

	public static LargeFrameBrowser connect(Transport transport, int port) throws Exception {
		return new LargeFrameBrowser(transport, port);
	}

	/**
	 * Plain WebSocket over TLS ({@code wss://localhost:port/stomp}), trusting what the
	 * context trusts.
	 */
	public static LargeFrameBrowser connectSecure(int port, javax.net.ssl.SSLContext sslContext) throws Exception {
		return new LargeFrameBrowser(Transport.WEBSOCKET, port, sslContext);
	}

	/**
	 * Subscribes and waits for the broker's RECEIPT, so a message sent next is delivered.
	 */
	public BlockingQueue<byte[]> subscribe(String destination) throws Exception {
		BlockingQueue<byte[]> bodies = new LinkedBlockingQueue<>();
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setReceipt("subscribed-" + destination);
		StompSession.Receiptable receiptable = this.session.subscribe(headers, new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				bodies.add((byte[]) payload);
			}
		});
		java.util.concurrent.CompletableFuture<Void> receipt = new java.util.concurrent.CompletableFuture<>();
		receiptable.addReceiptTask(() -> receipt.complete(null));
		receipt.get(10, TimeUnit.SECONDS);
		return bodies;
	}

	/**
	 * One SEND frame in one WebSocket message; a body with a text content-type goes as
	 * text.
	 */
	public void send(String destination, String contentType, byte[] body) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.set("content-type", contentType);
		try {
			this.session.send(headers, body);
		}
		catch (MessageDeliveryException ex) {
			// The server answered and closed before the last bytes left, as it may with a
			// frame over its limit; a browser's WebSocket.send() never throws for that.
			this.errors.add("send: " + ex.getMostSpecificCause());
		}
	}

	public String nextError(Duration timeout) throws InterruptedException {
		return this.errors.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * The next ERROR frame ("ERROR message: body"), skipping transport events; null if
	 * none came.
	 */
	public String nextStompError(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (int i = 0; i < 100; i++) {
			String error = this.errors.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (error == null || error.startsWith("ERROR ")) {
				return error;
			}
		}
		return null;
	}

	public boolean isConnected() {
		return this.session.isConnected();
	}

	@Override
	public void close() {
		try {
			if (this.session.isConnected()) {
				this.session.disconnect();
			}
		}
		catch (RuntimeException ex) {
			// closed by the server meanwhile
		}
		finally {
			this.scheduler.shutdown();
		}
	}

	private final class Errors extends StompSessionHandlerAdapter {

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			LargeFrameBrowser.this.errors.add("ERROR " + headers.getFirst("message") + ": "
					+ new String((byte[]) payload, java.nio.charset.StandardCharsets.UTF_8));
		}

		@Override
		public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload,
				Throwable exception) {
			LargeFrameBrowser.this.errors.add("exception: " + exception);
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			LargeFrameBrowser.this.errors.add("transport: " + exception);
		}

	}

}
