package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;

/**
 * First in a connection's pipeline (after TLS): looks at the first bytes once. A STOMP
 * client starts with a command; a browser starts with an HTTP request
 * ({@code GET /stomp HTTP/1.1} with {@code Upgrade: websocket}). For the latter it puts
 * HTTP and WebSocket handling in front of the STOMP decoder, which then reads the
 * WebSocket messages' contents as the byte stream it reads from a TCP client: the same
 * session, limits, heart-beats and acks.
 */
final class WebSocketDetector extends ByteToMessageDecoder {

	private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);

	/** An upgrade request's head; a browser's is well under 8 KiB. */
	private static final int MAX_REQUEST_HEAD = 16 * 1024;

	private final WebSocketSettings settings;

	WebSocketDetector(WebSocketSettings settings) {
		this.settings = settings;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		int available = Math.min(in.readableBytes(), GET.length);
		for (int i = 0; i < available; i++) {
			if (in.getByte(in.readerIndex() + i) != GET[i]) {
				// a STOMP client: the bytes go on to the STOMP decoder
				ctx.pipeline().remove(this);
				return;
			}
		}
		if (available < GET.length) {
			return; // "G", "GE": wait for more
		}
		boolean secure = ctx.pipeline().get(SslHandler.class) != null;
		WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
			.websocketPath(this.settings.path())
			.subprotocols(WebSocketSettings.SUBPROTOCOLS)
			.checkStartsWith(false)
			.handleCloseFrames(true)
			.dropPongFrames(true)
			.decoderConfig(WebSocketDecoderConfig.newBuilder()
				.maxFramePayloadLength(this.settings.maxFramePayload())
				.allowExtensions(false)
				.closeOnProtocolViolation(false)
				.build())
			.build();
		ctx.pipeline()
			.addAfter(ctx.name(), "http-codec", new HttpServerCodec(4096, MAX_REQUEST_HEAD, 8192))
			.addAfter("http-codec", "http-aggregator", new HttpObjectAggregator(0))
			.addAfter("http-aggregator", "ws-origin", new WebSocketOriginCheck(this.settings, secure))
			.addAfter("ws-origin", "ws-errors", new WebSocketFrameCodec.ErrorsToStomp())
			.addAfter("ws-errors", "ws-handshake", new WebSocketServerProtocolHandler(config))
			.addAfter("ws-handshake", "ws-not-found", new WebSocketOriginCheck.NotFound())
			.addAfter("ws-not-found", "ws-frames", new WebSocketFrameCodec());
		ctx.pipeline().remove(this); // its bytes go on to the HTTP codec
	}

}
