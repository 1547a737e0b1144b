package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Between WebSocket and STOMP on the broker port. In: the contents of text, binary and
 * continuation frames go on as plain bytes, so the STOMP decoder reads a frame however
 * the browser split it over WebSocket messages. Out: each encoded STOMP frame (or
 * heart-beat) becomes one WebSocket message, text when it is valid UTF-8 and binary
 * otherwise, byte for byte; the empty write that ends a connection becomes a WebSocket
 * close.
 */
final class WebSocketFrameCodec extends ChannelDuplexHandler {

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
				|| msg instanceof ContinuationWebSocketFrame) {
			ctx.fireChannelRead(((WebSocketFrame) msg).content());
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof ByteBuf bytes) {
			if (!bytes.isReadable()) {
				bytes.release();
				ctx.write(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE), promise);
				return;
			}
			WebSocketFrame frame = ByteBufUtil.isText(bytes, StandardCharsets.UTF_8) ? new TextWebSocketFrame(bytes)
					: new BinaryWebSocketFrame(bytes);
			ctx.write(frame, promise);
			return;
		}
		ctx.write(msg, promise);
	}

	/**
	 * Sits before Netty's WebSocket protocol handler, which would close the connection on
	 * a frame over the size limit: hands the STOMP session an error to answer with its
	 * ERROR frame ("Frame too large", as over TCP) and its usual orderly close, instead
	 * of close code 1009.
	 */
	static final class ErrorsToStomp extends ChannelDuplexHandler {

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (cause instanceof CorruptedWebSocketFrameException corrupted
					&& corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
				ctx.fireChannelRead(new StompDecodingError("Frame too large", corrupted.getMessage()));
				return;
			}
			if (cause instanceof CorruptedFrameException) {
				ctx.fireChannelRead(new StompDecodingError("Invalid WebSocket frame", cause.getMessage()));
				return;
			}
			ctx.fireExceptionCaught(cause);
		}

	}

}
