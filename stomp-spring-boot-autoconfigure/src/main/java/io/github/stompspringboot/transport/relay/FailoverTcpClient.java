package io.github.stompspringboot.transport.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.tcp.TcpClient;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.tcp.ReconnectStrategy;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.messaging.tcp.TcpConnectionHandler;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.util.Assert;

/**
 * Spring's Reactor Netty client for the STOMP relay, given the addresses of several nodes
 * of one broker cluster. Every connection goes to the current address. A connection that
 * cannot be opened there, one the node closes without the session's DISCONNECT (the node
 * stopped or crashed), or one whose node went silent (no heart-beat in time) moves the
 * current address on to the next one, round robin.
 * <p>
 * A browser session's connection tries each address once before the relay hears of a
 * failure (and sends the browser an ERROR). The relay's "system" session, which
 * reconnects for ever, reconnects at once until each address has had a try, then at the
 * relay's own interval; the count starts again after a connection that lasted.
 */
public class FailoverTcpClient extends ReactorNettyTcpClient<byte[]> {

	private static final Log logger = LogFactory.getLog(FailoverTcpClient.class);

	/**
	 * A connection that ends after this long resets the count of reconnections made at
	 * once.
	 */
	private static final Duration LASTING_CONNECTION = Duration.ofSeconds(5);

	private final List<InetSocketAddress> addresses;

	private final AtomicInteger current = new AtomicInteger();

	private volatile boolean stopping;

	/**
	 * @param addresses the broker nodes, the first one preferred
	 * @param configurer further configuration of Reactor Netty's client, such as TLS
	 */
	public FailoverTcpClient(List<InetSocketAddress> addresses, Function<TcpClient, TcpClient> configurer) {
		super(configurer, new StompReactorNettyCodec());
		Assert.notEmpty(addresses, "At least one broker address is required");
		this.addresses = List.copyOf(addresses);
	}

	public List<InetSocketAddress> getAddresses() {
		return this.addresses;
	}

	/** Where the next connection goes. */
	public InetSocketAddress getCurrentAddress() {
		return this.addresses.get(this.current.get());
	}

	@Override
	public CompletableFuture<@Nullable Void> connectAsync(TcpConnectionHandler<byte[]> handler) {
		return connectOnce(new FailoverHandler(handler, false), 1);
	}

	private CompletableFuture<@Nullable Void> connectOnce(FailoverHandler handler, int attempt) {
		handler.attempt = attempt;
		return super.connectAsync(handler).exceptionallyCompose((ex) -> handler.tryNextAddress()
				? connectOnce(handler, attempt + 1) : CompletableFuture.failedFuture(ex));
	}

	@Override
	public CompletableFuture<@Nullable Void> connectAsync(TcpConnectionHandler<byte[]> handler,
			ReconnectStrategy strategy) {
		FailoverHandler failover = new FailoverHandler(handler, true);
		return super.connectAsync(failover, (attempt) -> failover.timeToNextAttempt(attempt, strategy));
	}

	@Override
	protected TcpClient extendTcpClient(TcpClient tcpClient, TcpConnectionHandler<byte[]> handler) {
		// Asked on every attempt, reconnections included: each one goes where the cluster
		// is reachable now.
		if (handler instanceof FailoverHandler failover) {
			return tcpClient.remoteAddress(() -> failover.connectingTo(this.current.get()));
		}
		return tcpClient.remoteAddress(this::getCurrentAddress);
	}

	@Override
	public CompletableFuture<@Nullable Void> shutdownAsync() {
		this.stopping = true;
		return super.shutdownAsync();
	}

	/**
	 * The node at this index failed: later connections go to the next one, unless another
	 * already moved on.
	 */
	private void failed(int index, String why) {
		int next = (index + 1) % this.addresses.size();
		if (this.current.compareAndSet(index, next) && next != index && logger.isWarnEnabled()) {
			logger.warn("STOMP relay: " + describe(this.addresses.get(index)) + " " + why + "; connecting to "
					+ describe(this.addresses.get(next)) + " from now on");
		}
	}

	private static String describe(InetSocketAddress address) {
		return address.getHostString() + ":" + address.getPort();
	}

	@Override
	public String toString() {
		return "FailoverTcpClient" + this.addresses.stream().map(FailoverTcpClient::describe).toList() + " current="
				+ describe(getCurrentAddress());
	}

	/**
	 * Watches one relay session's connections for failures, on the relay handler's
	 * behalf.
	 */
	private final class FailoverHandler implements TcpConnectionHandler<byte[]> {

		private final TcpConnectionHandler<byte[]> delegate;

		private final boolean reconnecting;

		/** Of a one-shot connect: 1 for the first address tried, and so on. */
		private volatile int attempt;

		private volatile int addressIndex = -1;

		private volatile @Nullable FailoverConnection connection;

		/** Reconnections made at once since the last connection that lasted. */
		private final AtomicInteger immediateReconnects = new AtomicInteger();

		FailoverHandler(TcpConnectionHandler<byte[]> delegate, boolean reconnecting) {
			this.delegate = delegate;
			this.reconnecting = reconnecting;
		}

		InetSocketAddress connectingTo(int index) {
			this.addressIndex = index;
			return FailoverTcpClient.this.addresses.get(index);
		}

		boolean tryNextAddress() {
			return !FailoverTcpClient.this.stopping && this.addressIndex >= 0
					&& this.attempt < FailoverTcpClient.this.addresses.size();
		}

		/**
		 * At once while each address has had one try since the last connection that
		 * lasted (a node that just failed has been left behind already); then as the
		 * relay's strategy says.
		 */
		@Nullable Long timeToNextAttempt(int attempt, ReconnectStrategy strategy) {
			FailoverConnection last = this.connection;
			if (last != null) {
				// the connection ended: this may run before afterConnectionClosed
				connectionEnded(last);
			}
			if (!FailoverTcpClient.this.stopping
					&& this.immediateReconnects.incrementAndGet() <= FailoverTcpClient.this.addresses.size()) {
				return 0L;
			}
			return strategy.getTimeToNextAttempt(attempt);
		}

		@Override
		public void afterConnected(TcpConnection<byte[]> connection) {
			FailoverConnection failover = new FailoverConnection(connection, this.addressIndex);
			this.connection = failover;
			this.delegate.afterConnected(failover);
		}

		@Override
		public void afterConnectFailure(Throwable ex) {
			int index = this.addressIndex;
			if (index >= 0 && !FailoverTcpClient.this.stopping) {
				failed(index, "refused the connection (" + ex.getMessage() + ")");
				if (!this.reconnecting && tryNextAddress()) {
					return; // the relay hears only once every address failed
				}
			}
			this.delegate.afterConnectFailure(ex);
		}

		@Override
		public void handleMessage(Message<byte[]> message) {
			this.delegate.handleMessage(message);
		}

		@Override
		public void handleFailure(Throwable ex) {
			this.delegate.handleFailure(ex);
		}

		@Override
		public void afterConnectionClosed() {
			FailoverConnection last = this.connection;
			if (last != null) {
				connectionEnded(last);
			}
			this.delegate.afterConnectionClosed();
		}

		/**
		 * The node failed if it closed the connection or went silent, not if the relay
		 * closed it for reasons of its own or after DISCONNECT.
		 */
		private void connectionEnded(FailoverConnection connection) {
			if (!connection.ended.compareAndSet(false, true)) {
				return;
			}
			if (System.nanoTime() - connection.openedAt >= LASTING_CONNECTION.toNanos()) {
				this.immediateReconnects.set(0);
			}
			if (!connection.disconnectSent && !FailoverTcpClient.this.stopping
					&& (!connection.closedHere || connection.silent)) {
				failed(connection.addressIndex, connection.silent ? "went silent" : "closed the connection");
			}
		}

	}

	/**
	 * A connection that remembers how it ended: with the session's DISCONNECT, closed by
	 * the relay, or after the broker went silent.
	 */
	private static final class FailoverConnection implements TcpConnection<byte[]> {

		private final TcpConnection<byte[]> delegate;

		private final int addressIndex;

		private final long openedAt = System.nanoTime();

		private final AtomicBoolean ended = new AtomicBoolean();

		private volatile boolean disconnectSent;

		private volatile boolean closedHere;

		private volatile boolean silent;

		FailoverConnection(TcpConnection<byte[]> delegate, int addressIndex) {
			this.delegate = delegate;
			this.addressIndex = addressIndex;
		}

		@Override
		public CompletableFuture<@Nullable Void> sendAsync(Message<byte[]> message) {
			if (StompHeaderAccessor.getCommand(message.getHeaders()) == StompCommand.DISCONNECT) {
				this.disconnectSent = true;
			}
			return this.delegate.sendAsync(message);
		}

		@Override
		public void onReadInactivity(Runnable runnable, long duration) {
			this.delegate.onReadInactivity(() -> {
				this.silent = true;
				runnable.run();
			}, duration);
		}

		@Override
		public void onWriteInactivity(Runnable runnable, long duration) {
			this.delegate.onWriteInactivity(runnable, duration);
		}

		@Override
		public void close() {
			this.closedHere = true;
			this.delegate.close();
		}

	}

}
