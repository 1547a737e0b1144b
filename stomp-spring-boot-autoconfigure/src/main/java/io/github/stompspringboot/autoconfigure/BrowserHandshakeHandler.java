package io.github.stompspringboot.autoconfigure;

import java.util.Map;

import org.springframework.context.Lifecycle;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.sockjs.transport.handler.SockJsWebSocketHandler;

/**
 * Spring's handshake for the STOMP endpoint, with each connection's handler wrapped in a
 * {@link LargeMessageWebSocketHandler}: a browser's frame is bounded by
 * {@code stomp.broker.limits.max-frame-size} alone, never by the servlet container's
 * message buffer (which the container allocates for every connection, so it stays small).
 */
final class BrowserHandshakeHandler implements HandshakeHandler, Lifecycle {

	private final DefaultHandshakeHandler delegate = new DefaultHandshakeHandler();

	/**
	 * Characters a SockJS message may grow to: one STOMP frame, JSON-escaped at worst 6
	 * to 1.
	 */
	private final int sockJsMessageLimit;

	BrowserHandshakeHandler(int stompMessageSizeLimit) {
		this.sockJsMessageLimit = (int) Math.min(Integer.MAX_VALUE - 16, 6L * stompMessageSizeLimit + 64);
	}

	@Override
	public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) throws HandshakeFailureException {
		WebSocketHandler handler = (wsHandler instanceof SockJsWebSocketHandler)
				? LargeMessageWebSocketHandler.assembling(wsHandler, this.sockJsMessageLimit)
				: LargeMessageWebSocketHandler.streaming(wsHandler);
		return this.delegate.doHandshake(request, response, handler, attributes);
	}

	@Override
	public void start() {
		this.delegate.start();
	}

	@Override
	public void stop() {
		this.delegate.stop();
	}

	@Override
	public boolean isRunning() {
		return this.delegate.isRunning();
	}

}
