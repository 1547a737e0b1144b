package io.github.stompspringboot.transport.tcp;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.StompBroker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The broker's TCP listener (port 61613 by default) for telnet, stomp.py, PHP Stomp and
 * every other STOMP client. Netty reads and writes; frames go to the engine as they
 * decode.
 */
public final class StompTcpServer {

	private final StompBroker broker;

	private final String host;

	private final int requestedPort;

	private final SslContext sslContext;

	private final WebSocketSettings webSocket;

	private final ChannelGroup channels = new DefaultChannelGroup("stomp-tcp", GlobalEventExecutor.INSTANCE);

	/** Set by {@link #stop()} before it closes the connections it knows. */
	private volatile boolean stopping;

	private EventLoopGroup bossGroup;

	private EventLoopGroup workerGroup;

	private Channel serverChannel;

	/** The port bound, still known once the listener stopped accepting. */
	private volatile int boundPort = -1;

	/**
	 * @param port 0 picks a free port, which {@link #port()} then tells
	 * @param sslContext TLS for every connection, or {@code null} for plain TCP
	 */
	public StompTcpServer(StompBroker broker, String host, int port, SslContext sslContext) {
		this(broker, host, port, sslContext, null);
	}

	/**
	 * @param webSocket STOMP over WebSocket on this port too, or {@code null} for STOMP
	 * clients only
	 */
	public StompTcpServer(StompBroker broker, String host, int port, SslContext sslContext,
			WebSocketSettings webSocket) {
		this.broker = broker;
		this.host = host;
		this.requestedPort = port;
		this.sslContext = sslContext;
		this.webSocket = webSocket;
	}

	public synchronized void start() {
		if (this.serverChannel != null) {
			return;
		}
		this.stopping = false;
		this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("stomp-tcp-accept"),
				NioIoHandler.newFactory());
		this.workerGroup = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("stomp-tcp"),
				NioIoHandler.newFactory());
		BrokerSettings settings = this.broker.settings();
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.bossGroup, this.workerGroup)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 1024)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					StompTcpServer.this.channels.add(channel);
					if (StompTcpServer.this.stopping) {
						// accepted just before the listener closed, registered after
						// stop() closed the rest
						channel.close();
						return;
					}
					if (StompTcpServer.this.sslContext != null) {
						channel.pipeline().addLast("tls", StompTcpServer.this.sslContext.newHandler(channel.alloc()));
					}
					if (StompTcpServer.this.webSocket != null) {
						channel.pipeline().addLast("ws-detect", new WebSocketDetector(StompTcpServer.this.webSocket));
					}
					StompFrameDecoder decoder = new StompFrameDecoder(settings.getMaxHeaderLength(),
							settings.getMaxHeaders(), settings.getMaxFrameSize());
					StompTcpConnection connection = new StompTcpConnection(channel, decoder,
							StompTcpServer.this.broker);
					channel.pipeline()
						.addLast("flush", new FlushConsolidationHandler(256, true))
						.addLast("activity", connection.activityTracker())
						.addLast("decoder", decoder)
						.addLast("session", connection);
				}
			});
		try {
			this.serverChannel = bootstrap.bind(this.host, this.requestedPort).syncUninterruptibly().channel();
			this.boundPort = ((InetSocketAddress) this.serverChannel.localAddress()).getPort();
		}
		// Netty rethrows the bind failure, a checked exception, undeclared
		catch (Exception ex) {
			shutdownEventLoops();
			if (ex instanceof BindException || ex.getCause() instanceof BindException) {
				throw new StompPortInUseException(this.host, this.requestedPort, this.sslContext != null, ex);
			}
			throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
	}

	/** The port listened on: the configured one, or the one picked for port 0. */
	public int port() {
		Channel channel = this.serverChannel;
		if (channel == null) {
			return -1;
		}
		InetSocketAddress address = (InetSocketAddress) channel.localAddress();
		return (address != null) ? address.getPort() : this.boundPort;
	}

	/** Sockets open now, whether or not they completed CONNECT. */
	public int openConnections() {
		return this.channels.size();
	}

	public synchronized boolean isRunning() {
		return this.serverChannel != null;
	}

	/**
	 * Stops accepting connections and frees the port; the open ones go on until
	 * {@link #stop()}.
	 */
	public synchronized void stopAccepting() {
		if (this.serverChannel != null && this.serverChannel.isOpen()) {
			this.serverChannel.close().syncUninterruptibly();
		}
	}

	/**
	 * Waits, at most {@code timeout}, until no connection has work in flight: no frame
	 * half received, nothing waiting to be written, no bytes for {@code quietPeriod} (as
	 * Netty's {@code shutdownGracefully(quietPeriod, timeout)} does for tasks). So a SEND
	 * that arrived just before a shutdown is handled and its RECEIPT written before the
	 * shutdown's ERROR.
	 * @return whether every connection went quiet within the timeout
	 */
	public boolean awaitQuiet(Duration quietPeriod, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long quietNanos = quietPeriod.toNanos();
		while (true) {
			boolean busy = false;
			for (Channel channel : this.channels) {
				StompTcpConnection connection = channel.pipeline().get(StompTcpConnection.class);
				if (connection == null || !channel.isActive()) {
					continue;
				}
				Future<Boolean> check = channel.eventLoop().submit(() -> connection.isBusy(quietNanos));
				long left = Math.max(0, deadline - System.nanoTime());
				if (check.awaitUninterruptibly(left, TimeUnit.NANOSECONDS) && check.isSuccess()
						&& Boolean.TRUE.equals(check.getNow())) {
					busy = true;
					break;
				}
			}
			long left = deadline - System.nanoTime();
			if (!busy) {
				return true;
			}
			if (left <= 0) {
				return false;
			}
			try {
				Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
	}

	/**
	 * Stops accepting, closes every connection after what was queued for it is written,
	 * frees the port.
	 */
	public synchronized void stop() {
		if (this.serverChannel == null) {
			return;
		}
		this.stopping = true;
		this.serverChannel.close().syncUninterruptibly();
		this.serverChannel = null;
		for (Channel channel : this.channels) {
			StompTcpConnection connection = channel.pipeline().get(StompTcpConnection.class);
			if (connection != null) {
				connection.session().shutdown();
			}
		}
		this.channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
		shutdownEventLoops();
	}

	private void shutdownEventLoops() {
		if (this.bossGroup != null) {
			this.bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
			this.workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
			this.bossGroup = null;
			this.workerGroup = null;
		}
	}

}
