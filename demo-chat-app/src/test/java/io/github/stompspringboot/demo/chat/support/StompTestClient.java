package io.github.stompspringboot.demo.chat.support;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

/**
 * What the page does, from Java: Spring's own STOMP client over SockJS at {@code /stomp}, with a
 * nickname in CONNECT. Every wait has a deadline.
 */
public final class StompTestClient implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final WebSocketStompClient client;

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final BlockingQueue<StompHeaders> errors = new LinkedBlockingQueue<>();

	private final AtomicInteger receipts = new AtomicInteger();

	private StompSession session;

	private StompTestClient() {
		this.scheduler.setThreadNamePrefix("stomp-test-client-");
		this.scheduler.setDaemon(true);
		this.scheduler.initialize();
		this.client = new WebSocketStompClient(
				new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient()))));
		this.client.setMessageConverter(new BodyAsBytes());
		this.client.setTaskScheduler(this.scheduler);
	}

	/** Connects as this nickname; fails if the server refuses. */
	public static StompTestClient connect(int port, String nickname) throws Exception {
		StompTestClient client = new StompTestClient();
		client.session = client.start(port, nickname).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		return client;
	}

	/** Tries to connect as this nickname and returns the ERROR frame's headers it got instead. */
	public static StompHeaders refused(int port, String nickname) throws Exception {
		StompTestClient client = new StompTestClient();
		try {
			client.start(port, nickname);
			StompHeaders error = client.errors.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			if (error == null) {
				throw new AssertionError("No ERROR frame for nickname '" + nickname + "'");
			}
			return error;
		}
		finally {
			client.close();
		}
	}

	private CompletableFuture<StompSession> start(int port, String nickname) {
		StompHeaders connect = new StompHeaders();
		connect.add("nickname", nickname);
		return this.client.connectAsync("http://127.0.0.1:" + port + "/stomp", (WebSocketHttpHeaders) null, connect,
				new StompSessionHandlerAdapter() {

					@Override
					public void handleFrame(StompHeaders headers, @Nullable Object payload) {
						StompTestClient.this.errors.add(headers);
					}

					@Override
					public void handleException(StompSession session, @Nullable StompCommand command,
							StompHeaders headers, byte[] payload, Throwable exception) {
						StompTestClient.this.errors.add(headers);
					}

				});
	}

	/**
	 * Subscribes and, for a broker destination, waits for the broker's RECEIPT, so nothing
	 * sent afterwards can be missed. Bodies arrive as text.
	 */
	public BlockingQueue<String> subscribe(String destination) throws Exception {
		BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		boolean broker = !destination.startsWith("/app/");
		CompletableFuture<Void> receipt = new CompletableFuture<>();
		if (broker) {
			headers.setReceipt("r-" + this.receipts.incrementAndGet());
		}
		StompSession.Subscription subscription = this.session.subscribe(headers, new StompFrameHandler() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				bodies.add(new String((byte[]) payload, StandardCharsets.UTF_8));
			}

		});
		if (broker) {
			subscription.addReceiptTask(() -> receipt.complete(null));
			subscription.addReceiptLostTask(() -> receipt.completeExceptionally(new AssertionError("No RECEIPT")));
			receipt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		return bodies;
	}

	/** Sends a JSON body, as the page does. */
	public void send(String destination, String json) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
		this.session.send(headers, json.getBytes(StandardCharsets.UTF_8));
	}

	/** The next body, within the deadline. */
	public static String next(BlockingQueue<String> bodies) throws InterruptedException {
		String body = bodies.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		if (body == null) {
			throw new AssertionError("Nothing arrived within " + TIMEOUT);
		}
		return body;
	}

	/** The next body that contains the given text, skipping others, within the deadline. */
	public static String next(BlockingQueue<String> bodies, String containing) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			String body = (left > 0) ? bodies.poll(left, TimeUnit.NANOSECONDS) : null;
			if (body == null) {
				throw new AssertionError("Nothing containing " + containing + " arrived within " + TIMEOUT);
			}
			if (body.contains(containing)) {
				return body;
			}
		}
	}

	@Override
	public void close() {
		try {
			if (this.session != null && this.session.isConnected()) {
				this.session.disconnect();
			}
		}
		finally {
			this.client.stop();
			this.scheduler.shutdown();
		}
	}

	/** Bodies as they are, JSON or text: the test reads them as a page would. */
	private static final class BodyAsBytes extends AbstractMessageConverter {

		BodyAsBytes() {
			super(List.<MimeType>of(MimeTypeUtils.APPLICATION_JSON, MimeTypeUtils.TEXT_PLAIN,
					MimeTypeUtils.APPLICATION_OCTET_STREAM));
		}

		@Override
		protected boolean supports(Class<?> type) {
			return byte[].class == type;
		}

		@Override
		protected Object convertFromInternal(Message<?> message, Class<?> targetClass,
				@Nullable Object conversionHint) {
			return message.getPayload();
		}

		@Override
		protected Object convertToInternal(Object payload, @Nullable MessageHeaders headers,
				@Nullable Object conversionHint) {
			return payload;
		}

	}

}
