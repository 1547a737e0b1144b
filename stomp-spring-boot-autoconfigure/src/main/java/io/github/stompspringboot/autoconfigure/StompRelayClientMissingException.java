package io.github.stompspringboot.autoconfigure;

/**
 * Relay mode was asked for ({@code stomp.broker.mode=relay}) but nothing can open the
 * relay's TCP connections: Reactor Netty is not on the class path and the application
 * defined no {@value StompWebSocketAutoConfiguration#RELAY_TCP_CLIENT_BEAN_NAME} bean of
 * its own.
 */
public class StompRelayClientMissingException extends IllegalStateException {

	StompRelayClientMissingException() {
		super("stomp.broker.mode=relay needs Reactor Netty (reactor.netty.tcp.TcpClient) to connect to the "
				+ "external broker, and it is not on the class path");
	}

}
