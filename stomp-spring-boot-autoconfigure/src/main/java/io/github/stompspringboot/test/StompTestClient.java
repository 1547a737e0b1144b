package io.github.stompspringboot.test;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.BufferingStompDecoder;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * A small blocking STOMP 1.2 client for tests, over TCP or a plain WebSocket. Every wait
 * has a deadline, every frame that can carry a receipt does and the call returns once it
 * arrives, and an ERROR from the server fails the waiting call with the server's message.
 *
 * <pre class="code">
 * try (StompTestClient client = StompTestClient.tcp(port).connect()) {
 *     StompTestClient.Subscription orders = client.subscribe("/queue/orders");
 *     client.send("/queue/orders", "one");
 *     assertThat(orders.awaitMessage().body()).isEqualTo("one");
 * }
 * </pre>
 *
 * SENDs and SUBSCRIBEs to application destinations (by default those starting with
 * {@code /app/}, handled by {@code @MessageMapping} methods, which send no receipt) do
 * not wait.
 */
public final class StompTestClient implements AutoCloseable {

	/** How long a call waits unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_FRAME_SIZE = 64 * 1024 * 1024;

	private final Transport transport;

	private final BufferingStompDecoder decoder = new BufferingStompDecoder(new StompDecoder(), MAX_FRAME_SIZE);

	private final StompEncoder encoder = new StompEncoder();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition arrived = this.lock.newCondition();

	/**
	 * Frames received and not yet taken by a wait, in arrival order. Guarded by
	 * {@link #lock}.
	 */
	private final List<StompFrame> inbox = new ArrayList<>();

	/** Guarded by {@link #lock}. */
	private boolean closed;

	private final AtomicInteger ids = new AtomicInteger();

	private Duration timeout = DEFAULT_TIMEOUT;

	private @Nullable String applicationDestinationPrefix = "/app/";

	private @Nullable StompFrame connected;

	private StompTestClient(Transport.Factory transport) throws IOException {
		this.transport = transport.open(this::received, this::transportClosed);
	}

	/**
	 * A client of the STOMP TCP listener on 127.0.0.1 (the port is
	 * {@code local.stomp.port}).
	 */
	public static StompTestClient tcp(int port) throws IOException {
		return tcp("127.0.0.1", port);
	}

	public static StompTestClient tcp(String host, int port) throws IOException {
		return new StompTestClient(TcpTransport.factory(host, port));
	}

	/**
	 * A client of a plain WebSocket STOMP endpoint, such as
	 * {@code ws://127.0.0.1:8080/stomp} (needs spring-websocket and a JSR-356 client, as
	 * Tomcat's).
	 */
	public static StompTestClient webSocket(String url) throws IOException {
		return new StompTestClient(WebSocketTransport.factory(URI.create(url)));
	}

	/** How long every later call waits for its answer. */
	public StompTestClient timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	/**
	 * Destinations with this prefix go to the application's controllers, which answer no
	 * receipt, so calls for them do not wait; {@code null} waits for every destination.
	 */
	public StompTestClient applicationDestinationPrefix(@Nullable String prefix) {
		this.applicationDestinationPrefix = prefix;
		return this;
	}

	/** CONNECTs anonymously; fails with the server's message if it answers ERROR. */
	public StompTestClient connect() {
		return connect(Map.of());
	}

	public StompTestClient connect(String login, String passcode) {
		return connect(Map.of("login", login, "passcode", passcode));
	}

	/** CONNECTs with extra headers (the version is 1.2, heart-beats are off). */
	public StompTestClient connect(Map<String, String> headers) {
		Map<String, String> connect = new LinkedHashMap<>();
		connect.put("accept-version", "1.2");
		connect.put("host", "localhost");
		connect.put("heart-beat", "0,0");
		connect.putAll(headers);
		write(StompCommand.CONNECT, connect, new byte[0]);
		this.connected = await("CONNECTED", (frame) -> frame.command().equals("CONNECTED"), this.timeout);
		return this;
	}

	/**
	 * The CONNECTED frame the server answered, with its {@code version}, {@code server}
	 * and {@code session}.
	 */
	public StompFrame connected() {
		if (this.connected == null) {
			throw new IllegalStateException("Not connected: call connect() first");
		}
		return this.connected;
	}

	/** Subscribes with {@code ack:auto} and waits for the RECEIPT. */
	public Subscription subscribe(String destination) {
		return subscribe(destination, "auto");
	}

	/**
	 * @param ack {@code auto}, {@code client} or {@code client-individual}
	 */
	public Subscription subscribe(String destination, String ack) {
		return subscribe(destination, Map.of("ack", ack));
	}

	/**
	 * Subscribes with extra headers ({@code ack}, {@code selector}, ...) and waits for
	 * the RECEIPT.
	 */
	public Subscription subscribe(String destination, Map<String, String> headers) {
		String id = "sub-" + this.ids.incrementAndGet();
		Map<String, String> subscribe = new LinkedHashMap<>();
		subscribe.put("id", id);
		subscribe.put("destination", destination);
		subscribe.put("ack", "auto");
		subscribe.putAll(headers);
		writeAndAwaitReceipt(StompCommand.SUBSCRIBE, subscribe, new byte[0], destination);
		return new Subscription(id, destination);
	}

	/**
	 * Sends a UTF-8 body without a {@code content-type} (Spring's converters then read
	 * JSON and text alike); for a broker destination waits for the RECEIPT.
	 */
	public void send(String destination, String body) {
		send(destination, body, Map.of());
	}

	/**
	 * Sends with extra headers ({@code content-type}, {@code persistent},
	 * {@code transaction}, ...).
	 */
	public void send(String destination, String body, Map<String, String> headers) {
		Map<String, String> send = new LinkedHashMap<>();
		send.put("destination", destination);
		send.putAll(headers);
		writeAndAwaitReceipt(StompCommand.SEND, send, body.getBytes(StandardCharsets.UTF_8), destination);
	}

	/** The next MESSAGE of any subscription. */
	public StompFrame awaitMessage() {
		return awaitMessage(this.timeout);
	}

	public StompFrame awaitMessage(Duration timeout) {
		return await("a MESSAGE", (frame) -> frame.command().equals("MESSAGE"), timeout);
	}

	/**
	 * Acknowledges a message of a {@code client} or {@code client-individual}
	 * subscription; waits for the RECEIPT.
	 */
	public void ack(StompFrame message) {
		acknowledge(StompCommand.ACK, message);
	}

	/**
	 * Hands a message back for redelivery (or the dead-letter queue); waits for the
	 * RECEIPT.
	 */
	public void nack(StompFrame message) {
		acknowledge(StompCommand.NACK, message);
	}

	private void acknowledge(StompCommand command, StompFrame message) {
		String ack = message.header("ack");
		if (ack == null) {
			throw new IllegalArgumentException(
					"The frame has no 'ack' header (is its subscription ack:auto?): " + message);
		}
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("id", ack);
		writeAndAwaitReceipt(command, headers, new byte[0], null);
	}

	/**
	 * Starts a transaction; pass {@code Map.of("transaction", id)} to send, or use the
	 * ids to ack.
	 */
	public void begin(String transaction) {
		writeAndAwaitReceipt(StompCommand.BEGIN, Map.of("transaction", transaction), new byte[0], null);
	}

	public void commit(String transaction) {
		writeAndAwaitReceipt(StompCommand.COMMIT, Map.of("transaction", transaction), new byte[0], null);
	}

	public void abort(String transaction) {
		writeAndAwaitReceipt(StompCommand.ABORT, Map.of("transaction", transaction), new byte[0], null);
	}

	/** The next ERROR frame, for tests of what the server refuses. */
	public StompFrame awaitError() {
		return awaitError(this.timeout);
	}

	public StompFrame awaitError(Duration timeout) {
		return take("an ERROR", (frame) -> frame.command().equals("ERROR"), (frame) -> false, timeout, false);
	}

	/** Whether the server closes the connection within the timeout. */
	public boolean awaitClosed(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.lock.lock();
		try {
			while (!this.closed) {
				long left = deadline - System.nanoTime();
				if (left <= 0 || !this.arrived.await(left, TimeUnit.NANOSECONDS) && !this.closed) {
					return this.closed;
				}
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return this.closed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * DISCONNECTs with a receipt, so everything sent before has been handled, then
	 * closes.
	 */
	public void disconnect() {
		try {
			if (this.connected != null && !isClosed()) {
				writeAndAwaitReceipt(StompCommand.DISCONNECT, Map.of(), new byte[0], null);
			}
		}
		finally {
			close();
		}
	}

	@Override
	public void close() {
		this.transport.close();
	}

	private boolean isClosed() {
		this.lock.lock();
		try {
			return this.closed;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void writeAndAwaitReceipt(StompCommand command, Map<String, String> headers, byte[] body,
			@Nullable String destination) {
		boolean application = destination != null && this.applicationDestinationPrefix != null
				&& destination.startsWith(this.applicationDestinationPrefix);
		if (application) {
			write(command, headers, body);
			return;
		}
		String receipt = "receipt-" + this.ids.incrementAndGet();
		Map<String, String> withReceipt = new LinkedHashMap<>(headers);
		withReceipt.put("receipt", receipt);
		write(command, withReceipt, body);
		await("RECEIPT " + receipt + " for " + command,
				(frame) -> frame.command().equals("RECEIPT") && receipt.equals(frame.header("receipt-id")),
				this.timeout);
	}

	private void write(StompCommand command, Map<String, String> headers, byte[] body) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		headers.forEach((name, value) -> {
			if (StompHeaderAccessor.STOMP_PASSCODE_HEADER.equals(name)) {
				// Spring's encoder writes a CONNECT's passcode from there
				accessor.setPasscode(value);
			}
			else {
				accessor.setNativeHeader(name, value);
			}
		});
		accessor.setLeaveMutable(true);
		byte[] frame = this.encoder.encode(MessageBuilder.createMessage(body, accessor.getMessageHeaders()));
		try {
			this.transport.send(frame);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not send " + command + ": " + ex.getMessage(), ex);
		}
	}

	/** Takes the first frame that matches, failing at once on an ERROR. */
	private StompFrame await(String what, Predicate<StompFrame> wanted, Duration timeout) {
		return take(what, wanted, (frame) -> false, timeout, true);
	}

	/**
	 * Takes the first frame that matches {@code wanted}, dropping those before it that
	 * match {@code skipped}.
	 */
	private StompFrame take(String what, Predicate<StompFrame> wanted, Predicate<StompFrame> skipped, Duration timeout,
			boolean failOnError) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.lock.lock();
		try {
			while (true) {
				for (Iterator<StompFrame> frames = this.inbox.iterator(); frames.hasNext();) {
					StompFrame frame = frames.next();
					if (wanted.test(frame)) {
						frames.remove();
						return frame;
					}
					if (skipped.test(frame)) {
						frames.remove();
						continue;
					}
					if (failOnError && frame.command().equals("ERROR")) {
						throw new AssertionError("Waiting for " + what + ", the server sent ERROR '"
								+ frame.errorMessage() + "':\n" + frame);
					}
				}
				if (this.closed) {
					throw new AssertionError("Waiting for " + what + ", the connection closed");
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + what + " in vain; received "
							+ this.inbox.size() + " other frame(s): " + this.inbox);
				}
				this.arrived.await(left, TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted waiting for " + what, ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Bytes from the transport, on its thread: whole frames go to the inbox. */
	private void received(ByteBuffer bytes) {
		List<Message<byte[]>> messages = this.decoder.decode(bytes);
		this.lock.lock();
		try {
			for (Message<byte[]> message : messages) {
				StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
				if (accessor == null || accessor.isHeartbeat() || accessor.getCommand() == null) {
					continue;
				}
				Map<String, String> headers = new LinkedHashMap<>();
				accessor.toNativeHeaderMap().forEach((name, values) -> {
					if (!values.isEmpty()) {
						headers.put(name, values.get(0));
					}
				});
				this.inbox.add(new StompFrame(accessor.getCommand().name(), headers, message.getPayload()));
			}
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void transportClosed() {
		this.lock.lock();
		try {
			this.closed = true;
			this.arrived.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A subscription of this client: its id, and a wait for its own next MESSAGE. */
	public final class Subscription {

		private final String id;

		private final String destination;

		private Subscription(String id, String destination) {
			this.id = id;
			this.destination = destination;
		}

		public String id() {
			return this.id;
		}

		public String destination() {
			return this.destination;
		}

		/** The next MESSAGE of this subscription. */
		public StompFrame awaitMessage() {
			return awaitMessage(StompTestClient.this.timeout);
		}

		public StompFrame awaitMessage(Duration timeout) {
			return await("a MESSAGE on " + this.destination,
					(frame) -> frame.command().equals("MESSAGE") && this.id.equals(frame.header("subscription")),
					timeout);
		}

		/**
		 * The next MESSAGE of this subscription whose body contains the text, skipping
		 * (and dropping) the ones before it: for a topic where others talk too.
		 */
		public StompFrame awaitMessageContaining(String text) {
			return awaitMessageContaining(text, StompTestClient.this.timeout);
		}

		public StompFrame awaitMessageContaining(String text, Duration timeout) {
			Predicate<StompFrame> mine = (frame) -> frame.command().equals("MESSAGE")
					&& this.id.equals(frame.header("subscription"));
			return take("a MESSAGE on " + this.destination + " containing '" + text + "'",
					mine.and((frame) -> frame.body().contains(text)), mine, timeout, true);
		}

		/** Asserts that no MESSAGE of this subscription arrives within the given time. */
		public void assertNoMessageWithin(Duration quiet) {
			long deadline = System.nanoTime() + quiet.toNanos();
			StompTestClient.this.lock.lock();
			try {
				while (true) {
					for (StompFrame frame : StompTestClient.this.inbox) {
						if (frame.command().equals("MESSAGE") && this.id.equals(frame.header("subscription"))) {
							throw new AssertionError("Expected no MESSAGE on " + this.destination + ", got:\n" + frame);
						}
					}
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						return;
					}
					StompTestClient.this.arrived.await(left, TimeUnit.NANOSECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				StompTestClient.this.lock.unlock();
			}
		}

		/** Unsubscribes and waits for the RECEIPT. */
		public void unsubscribe() {
			writeAndAwaitReceipt(StompCommand.UNSUBSCRIBE, Map.of("id", this.id), new byte[0], null);
		}

	}

}
