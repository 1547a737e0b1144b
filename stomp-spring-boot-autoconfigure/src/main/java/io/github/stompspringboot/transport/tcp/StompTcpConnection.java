package io.github.stompspringboot.transport.tcp;

import java.util.ArrayList;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.SessionSink;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompProtocolException;
import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.broker.StompVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

/**
 * One TCP client: feeds decoded frames to its {@link StompSession} and is that session's
 * {@link SessionSink}, writing frames back encoded for the session's STOMP version.
 */
final class StompTcpConnection extends ChannelInboundHandlerAdapter implements SessionSink {

	private static final Log logger = LogFactory.getLog(StompTcpConnection.class);

	private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] { '\n' }));

	/** Marks the end of the outbound FIFO: close once what came before is written. */
	private static final Object CLOSE = new Object();

	/**
	 * The hand-off of an event loop's thread, on the threads of this transport's event
	 * loops only (other threads, such as the broker's timer or an application's, wake the
	 * connection's loop at once).
	 */
	private static final FastThreadLocal<LoopHandOff> HAND_OFF = new FastThreadLocal<>();

	/**
	 * Bytes a hand-off lets wait for the end of the producer's turn; past them the write
	 * is scheduled at once. Enough to batch a few hundred small frames.
	 */
	private static final int HAND_OFF_MAX_BYTES = 32 * 1024;

	/**
	 * Bytes written to the channel before they leave {@link #outboundBytes}: until then
	 * they count twice toward {@link #pendingBytes()}, so this bounds the error.
	 */
	private static final int SETTLE_EVERY_BYTES = 16 * 1024;

	private final Channel channel;

	/**
	 * Frames (encoded) on their way to the channel, in the engine's order; see
	 * {@link #enqueue}.
	 */
	private final Queue<Object> outbound = new ConcurrentLinkedQueue<>();

	// Flags as fields with updaters rather than AtomicBoolean objects: 32 bytes less for
	// every connection, most of which sit idle.
	private static final AtomicIntegerFieldUpdater<StompTcpConnection> WRITE_SCHEDULED = AtomicIntegerFieldUpdater
		.newUpdater(StompTcpConnection.class, "writeScheduled");

	private static final AtomicIntegerFieldUpdater<StompTcpConnection> HAND_OFF_PENDING = AtomicIntegerFieldUpdater
		.newUpdater(StompTcpConnection.class, "handOffPending");

	/** 1 while a write task is on its way to the event loop. */
	private volatile int writeScheduled;

	private final Runnable scheduledWrite = this::scheduledWrite;

	/**
	 * 1 while a write is scheduled but waits in another loop's {@link LoopHandOff} for
	 * the end of that loop's turn.
	 */
	private volatile int handOffPending;

	/**
	 * Bytes in {@link #outbound} not yet handed to Netty. They count toward writability
	 * and pending bytes: while this connection's event loop is busy, a producer's thread
	 * could otherwise pile up frames for it that no limit sees.
	 */
	private final AtomicLong outboundBytes = new AtomicLong();

	/**
	 * A destination found this connection full; tell the session once it is writable
	 * again.
	 */
	private volatile boolean resumeWanted;

	private final StompFrameDecoder decoder;

	private final StompSession session;

	private final long closeTimeoutMillis;

	/**
	 * Bytes still read and discarded after a lingering close began; below zero the
	 * connection is closed. Before that, {@code -1}. Event loop only.
	 */
	private long lingerBudget = -1;

	private final long maxLingerBytes;

	/** When bytes last arrived, for a graceful shutdown's quiet period. */
	private volatile long lastReadNanos = System.nanoTime();

	private final String transport;

	private static final int MAX_CACHED_SUBSCRIPTION_LINES = 64;

	/**
	 * Encoded {@code subscription} lines by id, for the negotiated version (set once, at
	 * CONNECT, before any subscription).
	 */
	private volatile Map<String, byte[]> subscriptionLines;

	StompTcpConnection(Channel channel, StompFrameDecoder decoder, StompBroker broker) {
		this.channel = channel;
		this.decoder = decoder;
		this.closeTimeoutMillis = broker.settings().getCloseTimeout().toMillis();
		// Enough for the client to finish the over-limit frame it was sending, not for a
		// flood.
		this.maxLingerBytes = broker.settings().getMaxFrameSize() + 64 * 1024L;
		this.transport = (channel.pipeline().get(SslHandler.class) != null) ? "tls" : "tcp";
		this.session = broker.openSession(this, true);
	}

	/**
	 * Marks the session alive on any bytes, heart-beat EOLs included; sits before the
	 * decoder.
	 */
	ChannelInboundHandlerAdapter activityTracker() {
		return new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (StompTcpConnection.this.lingerBudget >= 0) {
					discardWhileLingering(msg);
					return;
				}
				StompTcpConnection.this.session.markActivity();
				StompTcpConnection.this.lastReadNanos = System.nanoTime();
				if (msg instanceof ByteBuf bytes) {
					StompTcpConnection.this.session.bytesReceived(bytes.readableBytes());
				}
				ctx.fireChannelRead(msg);
			}
		};
	}

	StompSession session() {
		return this.session;
	}

	/**
	 * Whether the connection has work in flight a graceful shutdown should let finish:
	 * part of a frame read, frames not yet written, or bytes read within the quiet period
	 * (a frame the client sent just before may still be arriving). Event loop only.
	 */
	boolean isBusy(long quietPeriodNanos) {
		return this.decoder.isMidFrame() || pendingBytes() > 0
				|| System.nanoTime() - this.lastReadNanos < quietPeriodNanos;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		// On the connection's event loop (the pipeline is built there): from now on this
		// thread hands other loops their frames once per turn. Only a loop's own thread
		// (a test's EmbeddedChannel runs handlers on the caller's thread).
		if (Thread.currentThread() instanceof FastThreadLocalThread && ctx.executor().inEventLoop()
				&& HAND_OFF.getIfExists() == null) {
			HAND_OFF.set(new LoopHandOff(ctx.channel().eventLoop()));
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof StompDecodingError error) {
			this.session.reject(new StompProtocolException(error.getMessage(), error.details()));
			return;
		}
		Message<byte[]> frame = (Message<byte[]>) msg;
		this.session.handle(frame);
		// no accessor copy per frame
		StompCommand command = StompHeaderAccessor.getCommand(frame.getHeaders());
		if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
			this.decoder.setVersion(this.session.version());
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (ctx.channel().isWritable()) {
			this.session.resumeDelivery();
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.session.transportClosed();
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Closing " + remoteAddress() + " after a transport error", cause);
		}
		ctx.close();
	}

	@Override
	public void send(Message<byte[]> frame) {
		enqueue(StompFrameEncoder.encode(frame, this.session.version(), this.channel.alloc()));
	}

	@Override
	public void sendMessage(BrokerMessage message, String subscriptionId, String ackId) {
		StompVersion version = this.session.version();
		enqueue(StompFrameEncoder.encodeMessage(message, subscriptionLine(subscriptionId, version), ackId, version,
				this.channel.alloc()));
	}

	/**
	 * This connection's encoded {@code subscription} line for the id; made on first use
	 * (no map at all for a connection that subscribes to nothing) and kept while the
	 * connection lives. Ids a client reuses after UNSUBSCRIBE find their line again; a
	 * client cycling through ids would grow it, so it is bounded.
	 */
	private byte[] subscriptionLine(String subscriptionId, StompVersion version) {
		Map<String, byte[]> lines = this.subscriptionLines;
		if (lines == null) {
			lines = new ConcurrentHashMap<>(4);
			this.subscriptionLines = lines;
		}
		byte[] line = lines.get(subscriptionId);
		if (line == null) {
			line = StompFrameEncoder.subscriptionLine(subscriptionId, version);
			if (lines.size() < MAX_CACHED_SUBSCRIPTION_LINES) {
				lines.put(subscriptionId, line);
			}
		}
		return line;
	}

	@Override
	public void sendHeartbeat() {
		enqueue(HEARTBEAT.duplicate());
	}

	@Override
	public void close() {
		// Queued behind what was written before, so an ERROR or RECEIPT reaches the
		// client first.
		enqueue(CLOSE);
	}

	/**
	 * Hands a frame to the channel in the order the engine produced it. Netty writes at
	 * once from the channel's own thread but queues a task from any other, so a MESSAGE
	 * sent by a producer's thread could be overtaken by the next one sent from this
	 * connection's thread (an ACK freeing the prefetch window). One FIFO in front of the
	 * channel keeps the order; from other threads it also batches many frames into one
	 * task and one flush.
	 */
	private void enqueue(Object item) {
		boolean inEventLoop = this.channel.eventLoop().inEventLoop();
		if (item instanceof ByteBuf buffer) {
			if (inEventLoop && this.outbound.isEmpty()) {
				this.session.bytesSent(buffer.readableBytes());
				// Nothing waits ahead of it: straight to the channel, no FIFO round
				// trip. FlushConsolidationHandler makes the flushes one per read or task.
				this.channel.write(buffer, this.channel.voidPromise());
				this.channel.flush();
				resumeIfWanted();
				return;
			}
			this.outboundBytes.addAndGet(buffer.readableBytes());
		}
		this.outbound.add(item);
		if (inEventLoop) {
			writeOutbound();
		}
		else if (WRITE_SCHEDULED.compareAndSet(this, 0, 1)) {
			LoopHandOff handOff = HAND_OFF.getIfExists();
			if (handOff != null) {
				this.handOffPending = 1;
				handOff.add(this);
			}
			else {
				scheduleWrite();
			}
		}
		else if (this.outboundBytes.get() > HAND_OFF_MAX_BYTES && HAND_OFF_PENDING.compareAndSet(this, 1, 0)) {
			// Enough waits already: write it now rather than at the end of the producer's
			// turn, so a reading subscriber never looks slow to the pending-bytes limit.
			scheduleWrite();
		}
	}

	/** Called by a hand-off at the end of its loop's turn. */
	private void handedOff() {
		if (HAND_OFF_PENDING.compareAndSet(this, 1, 0)) {
			scheduleWrite();
		}
	}

	private void scheduleWrite() {
		try {
			this.channel.eventLoop().execute(this.scheduledWrite);
		}
		catch (RejectedExecutionException ex) {
			// The transport is shutting down: the connection is gone, so are its
			// frames.
			Object dropped;
			while ((dropped = this.outbound.poll()) != null) {
				ReferenceCountUtil.release(dropped);
			}
			this.outboundBytes.set(0);
		}
	}

	private void scheduledWrite() {
		this.writeScheduled = 0;
		writeOutbound();
	}

	/**
	 * Writes what waits in the FIFO and flushes once. The byte counts are settled every
	 * {@link #SETTLE_EVERY_BYTES} or so, on this thread: counted per frame by the
	 * producer's thread, they cost a cache miss on this connection's counters (and a
	 * contended one on {@link #outboundBytes}) for every subscriber of every message. Not
	 * once per batch: a frame written to the channel is in Netty's pending bytes too, and
	 * a large batch counted twice took a reading subscriber for a slow one.
	 */
	private void writeOutbound() {
		boolean written = false;
		int bytes = 0;
		Object item;
		while ((item = this.outbound.poll()) != null) {
			if (item == CLOSE) {
				this.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(this::closeAfterLastFrame);
				// A client that stops reading, or never closes its side, is closed
				// anyway.
				this.channel.eventLoop()
					.schedule(() -> this.channel.close(), this.closeTimeoutMillis, TimeUnit.MILLISECONDS);
				written = false;
			}
			else {
				int size = ((ByteBuf) item).readableBytes();
				this.channel.write(item, this.channel.voidPromise());
				written = true;
				if (size >= SETTLE_EVERY_BYTES - bytes) {
					settle(bytes + size);
					bytes = 0;
				}
				else {
					bytes += size;
				}
			}
		}
		settle(bytes);
		if (written) {
			this.channel.flush();
		}
		resumeIfWanted();
	}

	private void settle(int bytes) {
		if (bytes > 0) {
			this.outboundBytes.addAndGet(-bytes);
			this.session.bytesSent(bytes);
		}
	}

	private void resumeIfWanted() {
		if (this.resumeWanted && isWritable()) {
			// Full only because of frames that were waiting here: Netty took them without
			// going unwritable, so no writability event will come to resume delivery.
			this.resumeWanted = false;
			// Later, not here: this write may come from a delivery under a destination's
			// lock, and resuming takes the session lock and other destinations' locks.
			this.channel.eventLoop().execute(this.session::resumeDelivery);
		}
	}

	/**
	 * Ends the connection once its last frame (an ERROR, a RECEIPT) is written, with a
	 * lingering close: the broker shuts its output down and reads on, discarding, until
	 * the client closes. Closing outright while the client is still sending (the rest of
	 * a frame over a limit) would make the kernel answer with a reset, which can discard
	 * the ERROR before the client reads it. TLS connections close outright: their
	 * close_notify is the orderly end.
	 */
	private void closeAfterLastFrame(Future<?> flushed) {
		if (flushed.isSuccess() && this.channel instanceof SocketChannel socket
				&& this.channel.pipeline().get(SslHandler.class) == null) {
			this.lingerBudget = this.maxLingerBytes;
			socket.shutdownOutput();
		}
		else {
			this.channel.close();
		}
	}

	private void discardWhileLingering(Object msg) {
		if (msg instanceof ByteBuf bytes) {
			this.lingerBudget -= bytes.readableBytes();
		}
		ReferenceCountUtil.release(msg);
		if (this.lingerBudget < 0) {
			this.channel.close();
		}
	}

	@Override
	public boolean isWritable() {
		boolean writable = this.channel.isWritable()
				&& this.outboundBytes.get() < this.channel.config().getWriteBufferHighWaterMark();
		if (!writable) {
			this.resumeWanted = true;
		}
		return writable;
	}

	@Override
	public long pendingBytes() {
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		return this.outboundBytes.get() + ((buffer != null) ? buffer.totalPendingWriteBytes() : 0);
	}

	@Override
	public void suspendReading() {
		applyReading();
	}

	@Override
	public void resumeReading() {
		applyReading();
	}

	/**
	 * Sets auto-read to what the session wants now, on the channel's event loop. A resume
	 * from a consumer's thread can race a new suspend from the producer's own frames; run
	 * in order on one thread and reading the session's current wish, the last word wins,
	 * and no stray read slips in between (each would let up to 64 KiB more frames in).
	 */
	private void applyReading() {
		if (this.channel.eventLoop().inEventLoop()) {
			this.channel.config().setAutoRead(!this.session.isReadingSuspended());
		}
		else {
			this.channel.eventLoop().execute(this::applyReading);
		}
	}

	@Override
	public String transport() {
		return this.transport;
	}

	@Override
	public String remoteAddress() {
		// Made when asked (CONNECT, a refusal, a log line), not kept: an idle connection
		// would hold it for nothing.
		return String.valueOf(this.channel.remoteAddress());
	}

	/**
	 * Frames one event loop queues for connections of other loops, handed over once per
	 * turn of that loop instead of once per frame. Woken per frame, an idle consumer's
	 * loop would take one frame per wake-up (a task, a selector wake-up, a write system
	 * call each) while the producer's loop reads a batch of SENDs; handed over at the end
	 * of the turn, it takes the whole batch at once. The turn ends soon: the task runs
	 * after this loop's I/O of the turn, before it waits again.
	 */
	private static final class LoopHandOff implements Runnable {

		private final EventLoop loop;

		private final ArrayList<StompTcpConnection> waiting = new ArrayList<>();

		LoopHandOff(EventLoop loop) {
			this.loop = loop;
		}

		void add(StompTcpConnection connection) {
			if (this.waiting.isEmpty()) {
				try {
					this.loop.execute(this);
				}
				catch (RejectedExecutionException ex) {
					// This loop is shutting down: wake the connection's loop now.
					connection.handedOff();
					return;
				}
			}
			this.waiting.add(connection);
		}

		@Override
		public void run() {
			for (int i = 0; i < this.waiting.size(); i++) {
				this.waiting.get(i).handedOff();
			}
			this.waiting.clear();
		}

	}

}
