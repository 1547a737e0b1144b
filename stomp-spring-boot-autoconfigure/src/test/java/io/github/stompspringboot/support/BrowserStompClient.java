package io.github.stompspringboot.support;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.ConnectionHandlingStompSession;
import org.springframework.messaging.simp.stomp.DefaultStompSession;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompSessionHandler;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.tcp.TcpConnection;
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
 * What a browser tab does, done by Spring's {@link WebSocketStompClient}: over SockJS or
 * plain WebSocket, with text bodies and frames collected in queues read with deadlines.
 */
public final class BrowserStompClient implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** How a page reaches the endpoint. */
	public enum Transport {

		SOCKJS, WEBSOCKET

	}

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final WebSocketStompClient client;

	private final String url;

	private final BlockingQueue<String> errors = new LinkedBlockingQueue<>();

	private StompSession session;

	/** The session's link, for frames {@link StompSession} has no method for (BEGIN, COMMIT, ABORT). */
	private volatile TcpConnection<byte[]> connection;

	private BrowserStompClient(Transport transport, int port, String endpoint) {
		this.scheduler.setPoolSize(1);
		this.scheduler.setThreadNamePrefix("browser-heartbeat-");
		this.scheduler.initialize();
		if (transport == Transport.SOCKJS) {
			this.client = new FrameSendingClient(
					new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient()))));
			this.url = "http://127.0.0.1:" + port + endpoint;
		}
		else {
			this.client = new FrameSendingClient(new StandardWebSocketClient());
			this.url = "ws://127.0.0.1:" + port + endpoint;
		}
		this.client.setMessageConverter(new StringMessageConverter());
		this.client.setTaskScheduler(this.scheduler);
		this.client.setDefaultHeartbeat(new long[] { 0, 0 });
	}

	/**
	 * Connects as the given user: the test application's channel interceptor turns the
	 * {@code user} CONNECT header into the session's Principal, as a login would.
	 */
	public static BrowserStompClient connect(Transport transport, int port, String user) throws Exception {
		return connect(transport, port, user, new long[] { 0, 0 });
	}

	public static BrowserStompClient connect(Transport transport, int port, String user, long[] heartbeat)
			throws Exception {
		BrowserStompClient browser = new BrowserStompClient(transport, port, "/stomp");
		browser.client.setDefaultHeartbeat(heartbeat);
		StompHeaders headers = new StompHeaders();
		if (user != null) {
			headers.add("user", user);
		}
		browser.session = browser.client
			.connectAsync(browser.url, new WebSocketHttpHeaders(), headers, browser.new ErrorCollector())
			.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		return browser;
	}

	public StompSession session() {
		return this.session;
	}

	/** Subscribes with the given ack mode ("auto", "client", "client-individual"). */
	public Subscription subscribe(String destination, String ack) throws Exception {
		return subscribe(destination, ack, () -> {
		});
	}

	/**
	 * Subscribes and runs the action the moment the RECEIPT arrives, as a page's
	 * {@code onreceipt} callback would tell its server "ready".
	 */
	public Subscription subscribeAndThen(String destination, Runnable onReceipt) throws Exception {
		return subscribe(destination, "auto", onReceipt);
	}

	private Subscription subscribe(String destination, String ack, Runnable onReceipt) throws Exception {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setAck(ack);
		headers.setReceipt(java.util.UUID.randomUUID().toString());
		Subscription subscription = new Subscription();
		StompSession.Subscription handle = this.session.subscribe(headers, subscription);
		subscription.handle = handle;
		handle.addReceiptTask(onReceipt);
		awaitReceipt(handle);
		return subscription;
	}

	public Subscription subscribe(String destination) throws Exception {
		return subscribe(destination, "auto");
	}

	/** Sends and waits for the broker's RECEIPT (or, for /app destinations, just sends). */
	public void send(String destination, String body) throws Exception {
		this.session.send(destination, body);
	}

	public void sendWithReceipt(String destination, String body) throws Exception {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setReceipt(java.util.UUID.randomUUID().toString());
		awaitReceipt(this.session.send(headers, body));
	}

	private static void awaitReceipt(StompSession.Receiptable receiptable) throws Exception {
		java.util.concurrent.CompletableFuture<Void> receipt = new java.util.concurrent.CompletableFuture<>();
		receiptable.addReceiptTask(() -> receipt.complete(null));
		receiptable.addReceiptLostTask(() -> receipt.completeExceptionally(new AssertionError("No RECEIPT")));
		receipt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** BEGIN of a transaction, as stomp.js's {@code client.begin()} sends it. */
	public void begin(String transaction) {
		frame(StompCommand.BEGIN, transaction);
	}

	public void commit(String transaction) {
		frame(StompCommand.COMMIT, transaction);
	}

	public void abort(String transaction) {
		frame(StompCommand.ABORT, transaction);
	}

	/** SEND within a transaction: held by the broker until COMMIT. */
	public void send(String destination, String body, String transaction) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.set("transaction", transaction);
		this.session.send(headers, body);
	}

	private void frame(StompCommand command, String transaction) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		accessor.setNativeHeader("transaction", transaction);
		accessor.setLeaveMutable(true);
		TcpConnection<byte[]> connection = this.connection;
		if (connection == null) {
			throw new IllegalStateException("Not connected");
		}
		connection.sendAsync(MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders()))
			.join();
	}

	public String nextError(Duration timeout) throws InterruptedException {
		return this.errors.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	public boolean isConnected() {
		return this.session.isConnected();
	}

	@Override
	public void close() {
		try {
			if (this.session != null && this.session.isConnected()) {
				this.session.disconnect();
			}
		}
		finally {
			this.scheduler.shutdown();
		}
	}

	/** Messages of one subscription, in arrival order. */
	public final class Subscription implements StompFrameHandler {

		private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

		private StompSession.Subscription handle;

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return String.class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			this.messages.add(new Received(headers, (String) payload));
		}

		/** The next message; fails the test if none arrives in time. */
		public Received next() throws InterruptedException {
			Received received = this.messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (received == null) {
				throw new AssertionError("No message within " + TIMEOUT);
			}
			return received;
		}

		/** The next message within the timeout, or {@code null}. */
		public Received poll(Duration timeout) throws InterruptedException {
			return this.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		public void ack(Received received) {
			BrowserStompClient.this.session.acknowledge(received.headers().getAck(), true);
		}

		public void nack(Received received) {
			BrowserStompClient.this.session.acknowledge(received.headers().getAck(), false);
		}

		public void unsubscribe() {
			this.handle.unsubscribe();
		}

	}

	/**
	 * Spring's client, whose sessions also hand over their link: {@link StompSession} sends
	 * SEND, SUBSCRIBE, ACK and NACK only, while a page's stomp.js also sends transactions.
	 */
	private final class FrameSendingClient extends WebSocketStompClient {

		FrameSendingClient(org.springframework.web.socket.client.WebSocketClient webSocketClient) {
			super(webSocketClient);
		}

		@Override
		protected ConnectionHandlingStompSession createSession(StompHeaders connectHeaders,
				StompSessionHandler handler) {
			DefaultStompSession session = new DefaultStompSession(handler, processConnectHeaders(connectHeaders)) {
				@Override
				public void afterConnected(TcpConnection<byte[]> connection) {
					BrowserStompClient.this.connection = connection;
					super.afterConnected(connection);
				}
			};
			session.setMessageConverter(getMessageConverter());
			session.setTaskScheduler(getTaskScheduler());
			session.setReceiptTimeLimit(getReceiptTimeLimit());
			return session;
		}

	}

	/** One MESSAGE frame. */
	public record Received(StompHeaders headers, String body) {

	}

	private final class ErrorCollector extends StompSessionHandlerAdapter {

		@Override
		public void handleException(StompSession session, org.springframework.messaging.simp.stomp.StompCommand command,
				StompHeaders headers, byte[] payload, Throwable exception) {
			BrowserStompClient.this.errors.add("exception: " + exception);
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			// ERROR frames land here
			BrowserStompClient.this.errors.add("ERROR " + headers.getFirst("message"));
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return String.class;
		}

		@Override
		public void handleTransportError(StompSession session, Throwable exception) {
			BrowserStompClient.this.errors.add("transport: " + exception);
		}

	}

}
