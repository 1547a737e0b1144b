package io.github.stompspringboot.transport.tcp;

import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.stompspringboot.broker.SessionSink;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompProtocolException;
import io.github.stompspringboot.broker.StompSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

/**
 * One TCP client: feeds decoded frames to its {@link StompSession} and is that session's
 * {@link SessionSink}, writing frames back encoded for the session's STOMP version.
 * <p>
 * Frames reach the socket in the order {@link #send} was called, whatever the thread: a
 * queue hands a consumer messages under its lock from producers' threads and from the
 * consumer's own event loop (when it catches up or acks), and Netty alone would write the
 * event loop's frames ahead of those still waiting as tasks from other threads.
 */
final class StompTcpConnection extends ChannelInboundHandlerAdapter implements SessionSink {

	private static final Log logger = LogFactory.getLog(StompTcpConnection.class);

	private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] { '\n' }));

	/** Queued after the last frame: close once everything before it is written. */
	private static final Object CLOSE = new Object();

	private final Channel channel;

	private final StompFrameDecoder decoder;

	private final StompSession session;

	/** Frames (and the close marker) from other threads, written in order by {@link #writeQueued()}. */
	private final Queue<Object> queued = PlatformDependent.newMpscQueue();

	/** Requests to run {@link #writeQueued()}; non-zero while anything waits in {@link #queued}. */
	private final AtomicInteger queuedWork = new AtomicInteger();

	private final AtomicLong queuedBytes = new AtomicLong();

	/** A queue found this connection full; tell the session once it is writable again. */
	private volatile boolean resumeWanted;

	StompTcpConnection(Channel channel, StompFrameDecoder decoder, StompBroker broker) {
		this.channel = channel;
		this.decoder = decoder;
		this.session = broker.openSession(this);
	}

	/** Marks the session alive on any bytes, heart-beat EOLs included; sits before the decoder. */
	ChannelInboundHandlerAdapter activityTracker() {
		return new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				StompTcpConnection.this.session.markActivity();
				ctx.fireChannelRead(msg);
			}
		};
	}

	StompSession session() {
		return this.session;
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
		StompCommand command = StompHeaderAccessor.getCommand(frame.getHeaders()); // no accessor copy per frame
		if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
			this.decoder.setVersion(this.session.version());
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		resumeIfWanted();
		ctx.fireChannelWritabilityChanged();
	}

	private void resumeIfWanted() {
		if (this.resumeWanted && isWritable()) {
			this.resumeWanted = false;
			this.session.resumeDelivery();
		}
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
		emit(StompFrameEncoder.encode(frame, this.session.version(), this.channel.alloc()));
	}

	@Override
	public void sendHeartbeat() {
		emit(HEARTBEAT.duplicate());
	}

	@Override
	public void close() {
		// Behind what was sent before, so an ERROR or RECEIPT reaches the client first.
		emit(CLOSE);
	}

	private void emit(Object item) {
		if (this.channel.eventLoop().inEventLoop() && this.queuedWork.get() == 0) {
			// Nothing from another thread waits (a caller ordering frames holds a lock its
			// predecessor released only after queueing), so writing now keeps the order.
			writeNow(item, true);
			return;
		}
		if (item instanceof ByteBuf buffer) {
			this.queuedBytes.addAndGet(buffer.readableBytes());
		}
		this.queued.offer(item);
		if (this.queuedWork.getAndIncrement() == 0) {
			try {
				this.channel.eventLoop().execute(this::writeQueued);
			}
			catch (RejectedExecutionException ex) { // the server is stopping: nothing will be written
				discardQueued();
			}
		}
	}

	/** Writes every frame queued by other threads, in order, then flushes once. */
	private void writeQueued() {
		int missed = 1;
		while (true) {
			Object item;
			while ((item = this.queued.poll()) != null) {
				if (item instanceof ByteBuf buffer) {
					this.queuedBytes.addAndGet(-buffer.readableBytes());
				}
				writeNow(item, false);
			}
			this.channel.flush();
			missed = this.queuedWork.addAndGet(-missed);
			if (missed == 0) {
				break;
			}
		}
		resumeIfWanted();
	}

	private void writeNow(Object item, boolean flush) {
		if (item == CLOSE) {
			this.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
		}
		else if (flush) {
			this.channel.writeAndFlush(item, this.channel.voidPromise());
		}
		else {
			this.channel.write(item, this.channel.voidPromise());
		}
	}

	private void discardQueued() {
		Object item;
		while ((item = this.queued.poll()) != null) {
			ReferenceCountUtil.release(item);
		}
		this.queuedBytes.set(0);
		this.queuedWork.set(0);
	}

	@Override
	public boolean isWritable() {
		boolean writable = this.channel.isWritable()
				&& this.queuedBytes.get() < this.channel.config().getWriteBufferHighWaterMark();
		if (!writable) {
			this.resumeWanted = true;
		}
		return writable;
	}

	@Override
	public long pendingBytes() {
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		return this.queuedBytes.get() + ((buffer != null) ? buffer.totalPendingWriteBytes() : 0);
	}

	@Override
	public String remoteAddress() {
		return String.valueOf(this.channel.remoteAddress());
	}

}
