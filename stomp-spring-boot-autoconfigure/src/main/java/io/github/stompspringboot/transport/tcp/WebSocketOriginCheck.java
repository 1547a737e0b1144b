package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses (403) a WebSocket upgrade from a page whose origin is not allowed, as Spring's
 * endpoint does: a page from another site must not talk to the broker with its visitors'
 * network position.
 */
final class WebSocketOriginCheck extends SimpleChannelInboundHandler<FullHttpRequest> {

	private final WebSocketSettings settings;

	private final boolean secure;

	WebSocketOriginCheck(WebSocketSettings settings, boolean secure) {
		super(false);
		this.settings = settings;
		this.secure = secure;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
		String origin = request.headers().get(HttpHeaderNames.ORIGIN);
		String host = request.headers().get(HttpHeaderNames.HOST);
		if (!this.settings.isAllowedOrigin(origin, host, this.secure)) {
			ReferenceCountUtil.release(request);
			respond(ctx, HttpResponseStatus.FORBIDDEN,
					"Origin " + origin + " is not allowed" + " (stomp.websocket.allowed-origin-patterns)\n");
			return;
		}
		ctx.fireChannelRead(request);
	}

	static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
			.set(HttpHeaderNames.CONNECTION, "close");
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	/** Any HTTP request that is not a WebSocket upgrade at the STOMP path. */
	static final class NotFound extends SimpleChannelInboundHandler<FullHttpRequest> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			respond(ctx, HttpResponseStatus.NOT_FOUND,
					"This is a STOMP broker: connect a STOMP client, or a WebSocket to its STOMP path\n");
		}

	}

}
