package io.github.stompspringboot.transport.injvm;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.broker.StompBroker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.tcp.ReconnectStrategy;
import org.springframework.messaging.tcp.TcpConnectionHandler;
import org.springframework.messaging.tcp.TcpOperations;

/**
 * The {@link TcpOperations} that plugs the embedded broker engine into Spring's
 * {@code StompBrokerRelayMessageHandler}: each "connection" is a {@code StompSession} of
 * the engine, and frames cross as the {@code Message<byte[]>} objects both sides already
 * speak. No socket, no codec, no thread hop.
 */
public final class InJvmTcpClient implements TcpOperations<byte[]> {

	private static final Log logger = LogFactory.getLog(InJvmTcpClient.class);

	private final StompBroker broker;

	private final ScheduledExecutorService scheduler;

	private final Set<InJvmTcpConnection> connections = ConcurrentHashMap.newKeySet();

	private volatile boolean shutdown;

	/**
	 * @param scheduler runs the relay's inactivity checks and reconnect attempts; shared,
	 * not owned by this client
	 */
	public InJvmTcpClient(StompBroker broker, ScheduledExecutorService scheduler) {
		this.broker = broker;
		this.scheduler = scheduler;
	}

	@Override
	public CompletableFuture<Void> connectAsync(TcpConnectionHandler<byte[]> handler) {
		return connect(handler, null, 0);
	}

	@Override
	public CompletableFuture<Void> connectAsync(TcpConnectionHandler<byte[]> handler,
			ReconnectStrategy reconnectStrategy) {
		return connect(handler, reconnectStrategy, 0);
	}

	private CompletableFuture<Void> connect(TcpConnectionHandler<byte[]> handler, ReconnectStrategy reconnect,
			int attempt) {
		if (this.shutdown) {
			IllegalStateException ex = new IllegalStateException("The in-JVM STOMP client is shut down");
			handler.afterConnectFailure(ex);
			return CompletableFuture.failedFuture(ex);
		}
		if (!this.broker.isRunning()) {
			IllegalStateException ex = new IllegalStateException("The embedded STOMP broker is not running");
			handler.afterConnectFailure(ex);
			scheduleReconnect(handler, reconnect, attempt);
			return CompletableFuture.failedFuture(ex);
		}
		InJvmTcpConnection connection = new InJvmTcpConnection(this, handler, reconnect);
		this.connections.add(connection);
		connection.open(this.broker);
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * The engine ended a connection the relay did not close: reconnect if the relay asked
	 * for it.
	 */
	void connectionLost(InJvmTcpConnection connection, TcpConnectionHandler<byte[]> handler,
			ReconnectStrategy reconnect) {
		this.connections.remove(connection);
		scheduleReconnect(handler, reconnect, 0);
	}

	void connectionClosed(InJvmTcpConnection connection) {
		this.connections.remove(connection);
	}

	private void scheduleReconnect(TcpConnectionHandler<byte[]> handler, ReconnectStrategy reconnect, int attempt) {
		if (reconnect == null || this.shutdown) {
			return;
		}
		Long delay = reconnect.getTimeToNextAttempt(attempt);
		if (delay == null) {
			return;
		}
		try {
			this.scheduler.schedule(() -> connect(handler, reconnect, attempt + 1), delay, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Not reconnecting " + handler + ": the scheduler is shut down");
			}
		}
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/**
	 * Connections open now; the relay holds one per client session plus its "system"
	 * session.
	 */
	public int connectionCount() {
		return this.connections.size();
	}

	@Override
	public CompletableFuture<Void> shutdownAsync() {
		this.shutdown = true;
		for (InJvmTcpConnection connection : this.connections) {
			connection.close();
		}
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public String toString() {
		return "InJvmTcpClient[" + this.connections.size() + " connections]";
	}

}
