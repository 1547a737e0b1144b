package io.github.stompspringboot.transport.injvm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.stompspringboot.broker.ApplicationPrincipal;
import io.github.stompspringboot.broker.SessionSink;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.tcp.ReconnectStrategy;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.messaging.tcp.TcpConnectionHandler;

/**
 * One relay session linked to one engine {@link StompSession}: the relay's frames go to
 * {@link StompSession#handle}, the engine's come back through
 * {@link TcpConnectionHandler#handleMessage}. Closing either side ends the other.
 */
final class InJvmTcpConnection implements TcpConnection<byte[]> {

	/**
	 * Returned by every send: the engine has handled the frame when {@code handle}
	 * returns, and each {@code SimpMessagingTemplate} send waits on this future.
	 * Completed futures cannot change, so one instance serves all.
	 */
	private static final CompletableFuture<Void> SENT = CompletableFuture.completedFuture(null);

	private static final byte[] HEARTBEAT_PAYLOAD = { '\n' };

	private static final String CREDENTIALS_HEADER = "stompCredentials";

	private final InJvmTcpClient client;

	private final TcpConnectionHandler<byte[]> handler;

	private final ReconnectStrategy reconnect;

	private final EngineSide engineSide = new EngineSide();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile StompSession session;

	/**
	 * The handler was told {@code afterConnected}; before that the engine has nobody to
	 * talk to.
	 */
	private volatile boolean attached;

	/**
	 * The relay forwarded a DISCONNECT: the engine closing the session is the answer, not
	 * a failure.
	 */
	private volatile boolean disconnectSent;

	/** The relay's own "system" session, which carries what the application sends. */
	private volatile boolean systemSession;

	/**
	 * The engine sent the client an ERROR: the close that follows needs no other
	 * explanation.
	 */
	private volatile boolean errorSent;

	/**
	 * Where the browser connects from, once its CONNECT said so; throttles its failed
	 * logins.
	 */
	private volatile String remoteAddress = "in-jvm";

	private volatile long lastReadNanos = System.nanoTime();

	private volatile long lastWriteNanos = System.nanoTime();

	private volatile boolean trackReads;

	private volatile boolean trackWrites;

	private volatile InactivityWatch readInactivityWatch;

	private volatile InactivityWatch writeInactivityWatch;

	InJvmTcpConnection(InJvmTcpClient client, TcpConnectionHandler<byte[]> handler, ReconnectStrategy reconnect) {
		this.client = client;
		this.handler = handler;
		this.reconnect = reconnect;
	}

	void open(StompBroker broker) {
		this.session = broker.openSession(this.engineSide);
		if (this.closed.get()) {
			// The broker began shutting down between the check and openSession.
			this.handler.afterConnectFailure(new IllegalStateException("The embedded STOMP broker is not running"));
			return;
		}
		this.attached = true;
		this.handler.afterConnected(this);
	}

	@Override
	public CompletableFuture<Void> sendAsync(Message<byte[]> message) {
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(message.getHeaders());
		if (this.closed.get()) {
			if (type == SimpMessageType.DISCONNECT) {
				// The session is over already; the relay only wants to clean up.
				return SENT;
			}
			return CompletableFuture
				.failedFuture(new IllegalStateException("Connection to the embedded broker closed"));
		}
		if (this.trackWrites) {
			this.lastWriteNanos = System.nanoTime();
		}
		if (type == SimpMessageType.CONNECT) {
			this.systemSession = StompBrokerRelayMessageHandler.SYSTEM_SESSION_ID
				.equals(SimpMessageHeaderAccessor.getSessionId(message.getHeaders()));
			message = withBrowserCredentials(message);
		}
		else if (type == SimpMessageType.DISCONNECT) {
			this.disconnectSent = true;
		}
		// No wire in between: bytes are the frames' bodies.
		this.session.bytesReceived(message.getPayload().length);
		this.session.handle(message);
		return SENT;
	}

	/**
	 * The relay puts its own client login/passcode on every CONNECT; they say nothing
	 * about who is on the other end. The engine checks the browser's own, kept by
	 * {@link BrowserCredentialsInterceptor}, together with the Principal the message
	 * carries (set from the WebSocket session or by a channel interceptor), exactly as it
	 * checks a TCP client's login. The relay's "system" session is the application
	 * itself.
	 */
	private Message<byte[]> withBrowserCredentials(Message<byte[]> connect) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(connect);
		accessor.removeNativeHeader(StompHeaderAccessor.STOMP_LOGIN_HEADER);
		accessor.removeNativeHeader(StompHeaderAccessor.STOMP_PASSCODE_HEADER);
		accessor.removeHeader(CREDENTIALS_HEADER);
		if (StompBrokerRelayMessageHandler.SYSTEM_SESSION_ID.equals(accessor.getSessionId())) {
			// the relay's own session carries what the application sends: no access rule
			// holds it back
			accessor.setUser(ApplicationPrincipal.INSTANCE);
		}
		else if (connect.getHeaders()
			.get(BrowserCredentialsInterceptor.CREDENTIALS_HEADER) instanceof BrowserCredentialsInterceptor.BrowserCredentials browser) {
			if (browser.login() != null) {
				accessor.setLogin(browser.login());
			}
			if (browser.passcode() != null) {
				accessor.setPasscode(browser.passcode());
			}
			if (browser.remoteAddress() != null) {
				this.remoteAddress = browser.remoteAddress();
			}
		}
		accessor.removeHeader(BrowserCredentialsInterceptor.CREDENTIALS_HEADER);
		return MessageBuilder.createMessage(connect.getPayload(), accessor.getMessageHeaders());
	}

	@Override
	public void onReadInactivity(Runnable runnable, long duration) {
		this.lastReadNanos = System.nanoTime();
		this.trackReads = true;
		this.readInactivityWatch = watch(runnable, duration, true);
	}

	@Override
	public void onWriteInactivity(Runnable runnable, long duration) {
		this.lastWriteNanos = System.nanoTime();
		this.trackWrites = true;
		this.writeInactivityWatch = watch(runnable, duration, false);
	}

	private InactivityWatch watch(Runnable runnable, long duration, boolean reads) {
		if (duration <= 0 || this.closed.get()) {
			return null;
		}
		InactivityWatch watch = new InactivityWatch(runnable, TimeUnit.MILLISECONDS.toNanos(duration), reads);
		watch.schedule(watch.durationNanos);
		return watch;
	}

	/**
	 * The relay closes the connection: the engine session ends as if its socket closed.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		release();
		this.client.connectionClosed(this);
		StompSession session = this.session;
		if (session != null) {
			session.transportClosed();
		}
		if (this.attached) {
			this.handler.afterConnectionClosed();
		}
	}

	/** The engine closed the session (after an ERROR, a DISCONNECT, or when stopping). */
	private void closedByEngine() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		release();
		if (!this.attached) {
			this.client.connectionClosed(this);
			return;
		}
		if (this.disconnectSent) {
			// The relay cleans up after its own DISCONNECT; telling it the connection
			// "failed" would send the client an ERROR frame after its RECEIPT.
			this.client.connectionClosed(this);
			return;
		}
		if (this.errorSent && !this.systemSession) {
			// The client has the engine's ERROR, and its WebSocket closes after it; the
			// relay ends its session on the DISCONNECT that follows (answered by
			// sendAsync). Told of the close now, the relay would send a second ERROR
			// ("Connection to broker closed."), and on the WebSocket the close that one
			// triggers can overtake the first one's write: the client then gets no ERROR
			// at all.
			this.client.connectionClosed(this);
			return;
		}
		this.client.connectionLost(this, this.handler, this.reconnect);
		this.handler.afterConnectionClosed();
	}

	private void release() {
		cancel(this.readInactivityWatch);
		cancel(this.writeInactivityWatch);
	}

	private static void cancel(InactivityWatch watch) {
		if (watch != null) {
			watch.cancel();
		}
	}

	@Override
	public String toString() {
		return "InJvmTcpConnection[" + this.session + "]";
	}

	/**
	 * Runs the relay's runnable once nothing went the given way for the duration, as a
	 * socket's idle handler would: each check sleeps exactly until the link could first
	 * be idle for that long, so the beat the relay sends for its "system" session is
	 * never late. The relay uses it for those heart-beats and to give up on a CONNECTED
	 * that never comes.
	 */
	private final class InactivityWatch implements Runnable {

		private final Runnable action;

		private final long durationNanos;

		private final boolean reads;

		private volatile ScheduledFuture<?> next;

		private volatile boolean cancelled;

		InactivityWatch(Runnable action, long durationNanos, boolean reads) {
			this.action = action;
			this.durationNanos = durationNanos;
			this.reads = reads;
		}

		void schedule(long delayNanos) {
			try {
				this.next = InJvmTcpConnection.this.client.scheduler().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// the application is stopping
			}
		}

		@Override
		public void run() {
			if (this.cancelled || InJvmTcpConnection.this.closed.get()) {
				return;
			}
			long now = System.nanoTime();
			long idle = now
					- (this.reads ? InJvmTcpConnection.this.lastReadNanos : InJvmTcpConnection.this.lastWriteNanos);
			if (idle < this.durationNanos) {
				schedule(this.durationNanos - idle);
				return;
			}
			if (this.reads) {
				InJvmTcpConnection.this.lastReadNanos = now;
			}
			else {
				InJvmTcpConnection.this.lastWriteNanos = now;
			}
			schedule(this.durationNanos);
			this.action.run();
		}

		void cancel() {
			this.cancelled = true;
			ScheduledFuture<?> next = this.next;
			if (next != null) {
				next.cancel(false);
			}
		}

	}

	/** What the engine sees: a sink that hands frames to the relay's handler. */
	private final class EngineSide implements SessionSink {

		@Override
		public void send(Message<byte[]> frame) {
			if (!InJvmTcpConnection.this.attached || InJvmTcpConnection.this.closed.get()) {
				return;
			}
			if (InJvmTcpConnection.this.trackReads) {
				InJvmTcpConnection.this.lastReadNanos = System.nanoTime();
			}
			if (StompHeaderAccessor.getCommand(frame.getHeaders()) == StompCommand.ERROR) {
				InJvmTcpConnection.this.errorSent = true;
			}
			StompSession session = InJvmTcpConnection.this.session;
			if (session != null) {
				session.bytesSent(frame.getPayload().length);
			}
			InJvmTcpConnection.this.handler.handleMessage(frame);
		}

		@Override
		public void sendHeartbeat() {
			// A fresh mutable accessor: the relay stamps its session id on every frame it
			// receives.
			StompHeaderAccessor accessor = StompHeaderAccessor.createForHeartbeat();
			accessor.setLeaveMutable(true);
			send(MessageBuilder.createMessage(HEARTBEAT_PAYLOAD, accessor.getMessageHeaders()));
		}

		@Override
		public void close() {
			closedByEngine();
		}

		@Override
		public String transport() {
			// The relay's own "system" session carries the application's messages, not a
			// browser's.
			return InJvmTcpConnection.this.systemSession ? "internal" : "websocket";
		}

		@Override
		public String remoteAddress() {
			return InJvmTcpConnection.this.remoteAddress;
		}

	}

}
