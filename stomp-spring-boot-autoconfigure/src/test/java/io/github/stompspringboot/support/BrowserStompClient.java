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

	/**
	 * The session's link, for frames {@link StompSession} has no method for (BEGIN,
	 * COMMIT, ABORT).
	 */
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
		StompHeaders headers = new StompHeaders();
		if (user != null) {
			headers.add("user", user);
		}
		return connect(transport, port, new WebSocketHttpHeaders(), headers, heartbeat);
	}

	/**
	 * Connects with the given handshake headers (an {@code Authorization} header, a
	 * session cookie) and CONNECT headers ({@code login}, {@code passcode}, ...), as a
	 * page would.
	 */
	public static BrowserStompClient connect(Transport transport, int port, WebSocketHttpHeaders handshake,
			StompHeaders connect) throws Exception {
		return connect(transport, port, handshake, connect, new long[] { 0, 0 });
	}

	private static BrowserStompClient connect(Transport transport, int port, WebSocketHttpHeaders handshake,
			StompHeaders connect, long[] heartbeat) throws Exception {
		BrowserStompClient browser = new BrowserStompClient(transport, port, "/stomp");
		browser.client.setDefaultHeartbeat(heartbeat);
		try {
			browser.session = browser.client.connectAsync(browser.url, handshake, connect, browser.new ErrorCollector())
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			browser.scheduler.shutdown();
			throw ex;
		}
		return browser;
	}

	/**
	 * A CONNECT the broker is expected to refuse: the message of the ERROR frame that
	 * answers it. Fails if the session connects instead, or nothing comes in time.
	 */
	public static String connectRefused(Transport transport, int port, WebSocketHttpHeaders handshake,
			StompHeaders connect) throws Exception {
		BrowserStompClient browser = new BrowserStompClient(transport, port, "/stomp");
		try {
			java.util.concurrent.CompletableFuture<StompSession> session = browser.client.connectAsync(browser.url,
					handshake, connect, browser.new ErrorCollector());
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				String error = browser.errors.poll(50, TimeUnit.MILLISECONDS);
				if (error != null && error.startsWith("ERROR ")) {
					return error.substring("ERROR ".length());
				}
				if (session.isDone() && !session.isCompletedExceptionally()) {
					session.join().disconnect();
					throw new AssertionError("Connected, though the CONNECT should have been refused");
				}
			}
			throw new AssertionError("No ERROR frame within " + TIMEOUT);
		}
		finally {
			browser.scheduler.shutdown();
		}
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

	/**
	 * Sends and waits for the broker's RECEIPT (or, for /app destinations, just sends).
	 */
	public void send(String destination, String body) throws Exception {
		this.session.send(destination, body);
	}

	public void sendWithReceipt(String destination, String body) throws Exception {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setReceipt(java.util.UUID.randomUUID().toString());
		awaitReceipt(this.session.send(headers, body));
	}

	/**
	 * A SEND the broker is expected to refuse: the message of the ERROR frame that
	 * answers it. Fails if its RECEIPT comes instead, or nothing comes in time.
	 */
	public String sendRefused(String destination, String body) throws Exception {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setReceipt(java.util.UUID.randomUUID().toString());
		return awaitError(this.session.send(headers, body));
	}

	/** A SUBSCRIBE the broker is expected to refuse: the message of its ERROR frame. */
	public String subscribeRefused(String destination) throws Exception {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setReceipt(java.util.UUID.randomUUID().toString());
		return awaitError(this.session.subscribe(headers, new Subscription()));
	}

	private String awaitError(StompSession.Receiptable receiptable) throws InterruptedException {
		java.util.concurrent.atomic.AtomicBoolean receipted = new java.util.concurrent.atomic.AtomicBoolean();
		receiptable.addReceiptTask(() -> receipted.set(true));
		List<String> seen = new java.util.ArrayList<>();
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline && !receipted.get()) {
			String error = this.errors.poll(50, TimeUnit.MILLISECONDS);
			if (error != null && error.startsWith("ERROR ")) {
				return error.substring("ERROR ".length());
			}
			if (error != null) {
				seen.add(error);
			}
		}
		throw new AssertionError(receipted.get() ? "RECEIPT, though the frame should have been refused"
				: "No ERROR frame within " + TIMEOUT + "; saw " + seen);
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
		connection.sendAsync(MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders())).join();
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
		catch (org.springframework.messaging.MessageDeliveryException | IllegalStateException ex) {
			// the broker ended the session (an ERROR) while it still looked connected
			// here
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
	 * Spring's client, whose sessions also hand over their link: {@link StompSession}
	 * sends SEND, SUBSCRIBE, ACK and NACK only, while a page's stomp.js also sends
	 * transactions.
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
