package io.github.stompspringboot.autoconfigure;

import java.net.InetSocketAddress;
import java.util.Map;

import io.github.stompspringboot.transport.injvm.BrowserCredentialsInterceptor;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Remembers where a browser connects from, so the broker throttles repeated failed logins
 * per address for browsers as it does for TCP clients, not for all browsers at once.
 */
final class RemoteAddressHandshakeInterceptor implements HandshakeInterceptor {

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote != null) {
			attributes.put(BrowserCredentialsInterceptor.REMOTE_ADDRESS_ATTRIBUTE, remote.toString());
		}
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Exception exception) {
	}

}
