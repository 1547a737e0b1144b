package io.github.stompspringboot.transport.tcp;

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

	private final Channel channel;

	private final StompFrameDecoder decoder;

	private final StompSession session;

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
		StompCommand command = StompHeaderAccessor.wrap(frame).getCommand();
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
		this.channel.writeAndFlush(StompFrameEncoder.encode(frame, this.session.version(), this.channel.alloc()),
				this.channel.voidPromise());
	}

	@Override
	public void sendHeartbeat() {
		this.channel.writeAndFlush(HEARTBEAT.duplicate(), this.channel.voidPromise());
	}

	@Override
	public void close() {
		// Queued behind what was written before, so an ERROR or RECEIPT reaches the client first.
		this.channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public boolean isWritable() {
		return this.channel.isWritable();
	}

	@Override
	public long pendingBytes() {
		ChannelOutboundBuffer buffer = this.channel.unsafe().outboundBuffer();
		return (buffer != null) ? buffer.totalPendingWriteBytes() : 0;
	}

	@Override
	public void suspendReading() {
		this.channel.config().setAutoRead(false);
	}

	@Override
	public void resumeReading() {
		// setAutoRead(true) also asks the event loop for a read, from whatever thread calls it.
		this.channel.config().setAutoRead(true);
	}

	@Override
	public String remoteAddress() {
		return String.valueOf(this.channel.remoteAddress());
	}

}
