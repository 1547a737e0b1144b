package io.github.stompspringboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.stompspringboot.transport.injvm.BrowserCredentialsInterceptor;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.Ordered;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.config.StompBrokerRelayRegistration;
import org.springframework.messaging.tcp.TcpOperations;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.config.annotation.SockJsServiceRegistration;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.StompWebSocketEndpointRegistration;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Spring's WebSocket messaging set up for the starter: the STOMP endpoint for browsers,
 * and Spring's relay (never its simple broker) for every broker destination.
 * <p>
 * Runs first among the configurers, so an application's own configurer can still change
 * prefixes and channels; one that enables a broker of its own replaces or joins the
 * relay, which {@link StompBrokerConflictVerifier} reports at startup.
 */
final class StompWebSocketMessageBrokerConfigurer implements WebSocketMessageBrokerConfigurer, Ordered {

	private final StompWebSocketProperties webSocket;

	private final StompBrokerProperties.Limits limits;

	private final List<String> brokerDestinationPrefixes;

	private final TcpOperations<byte[]> tcpClient;

	private final BeanFactory beanFactory;

	private final List<StompBrokerRelayCustomizer> customizers;

	StompWebSocketMessageBrokerConfigurer(StompWebSocketProperties webSocket, StompBrokerProperties.Limits limits,
			List<String> brokerDestinationPrefixes, TcpOperations<byte[]> tcpClient, BeanFactory beanFactory,
			List<StompBrokerRelayCustomizer> customizers) {
		this.webSocket = webSocket;
		this.limits = limits;
		this.brokerDestinationPrefixes = brokerDestinationPrefixes;
		this.tcpClient = tcpClient;
		this.beanFactory = beanFactory;
		this.customizers = customizers;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		String endpoint = this.webSocket.getEndpoint();
		String[] origins = this.webSocket.getAllowedOriginPatterns().toArray(String[]::new);
		// Plain WebSocket answers at the path itself, SockJS below it ("/stomp/info",
		// "/stomp/{server}/{session}/..."): one URL serves both kinds of client.
		// One limit for every transport: frames are bounded by max-frame-size, not by the
		// container's message buffer (see BrowserHandshakeHandler).
		BrowserHandshakeHandler handshakeHandler = new BrowserHandshakeHandler(stompMessageSizeLimit());
		allowOrigins(registry.addEndpoint(endpoint), origins).setHandshakeHandler(handshakeHandler);
		if (this.webSocket.getSockjs().isEnabled()) {
			SockJsServiceRegistration sockJs = allowOrigins(registry.addEndpoint(endpoint), origins)
				.setHandshakeHandler(handshakeHandler)
				.withSockJS();
			if (StringUtils.hasText(this.webSocket.getSockjs().getClientLibraryUrl())) {
				sockJs.setClientLibraryUrl(this.webSocket.getSockjs().getClientLibraryUrl());
			}
		}
		// A browser's frames reach the broker in the order it sent them (SUBSCRIBE before
		// the SEND that relies on it, ACKs in order), not in thread-pool order.
		registry.setPreserveReceiveOrder(true);
		registry.setErrorHandler(new FrameTooLargeErrorHandler(this.limits.getMaxFrameSize().toBytes()));
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.setMessageSizeLimit(stompMessageSizeLimit());
		// A subscriber may fall as far behind as a TCP one, and never less than one whole
		// frame.
		long pending = Math.max(this.limits.getMaxPendingBytesPerConnection().toBytes(), stompMessageSizeLimit());
		registration.setSendBufferSizeLimit((int) Math.min(Integer.MAX_VALUE, pending));
	}

	/**
	 * Spring's STOMP decoder limits a whole frame, the broker a body: the decoder lets
	 * through the largest body plus the most and longest headers, and the broker judges
	 * the body itself, so a browser's frame over max-frame-size gets the broker's own
	 * "Frame too large".
	 */
	private int stompMessageSizeLimit() {
		long headers = (long) this.limits.getMaxHeaders() * this.limits.getMaxHeaderLength().toBytes();
		return (int) Math.min(Integer.MAX_VALUE - 1024, this.limits.getMaxFrameSize().toBytes() + headers + 1024);
	}

	private static StompWebSocketEndpointRegistration allowOrigins(StompWebSocketEndpointRegistration registration,
			String[] origins) {
		if (origins.length > 0) {
			registration.setAllowedOriginPatterns(origins);
		}
		return registration.addInterceptors(new RemoteAddressHandshakeInterceptor());
	}

	/**
	 * Keeps each browser's own login and passcode for the broker to check, before the
	 * relay replaces them with its client login; first among the interceptors, as this
	 * configurer runs first.
	 */
	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new BrowserCredentialsInterceptor());
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.setApplicationDestinationPrefixes(
				this.webSocket.getApplicationDestinationPrefixes().toArray(String[]::new));
		if (StringUtils.hasText(this.webSocket.getUserDestinationPrefix())) {
			registry.setUserDestinationPrefix(this.webSocket.getUserDestinationPrefix());
		}
		// A queue's messages reach a browser in queue order, not in thread-pool order.
		registry.setPreservePublishOrder(true);
		registry.configureBrokerChannel().interceptors(new ApplicationMessageInterceptor());
		StompBrokerRelayRegistration relay = registry
			.enableStompBrokerRelay(new ArrayList<>(this.brokerDestinationPrefixes).toArray(String[]::new))
			.setTcpClient(this.tcpClient)
			// Lets the relay forward a heart-beat in place of a browser frame that went
			// to an @MessageMapping method, so a browser busy talking to the application
			// is not taken for a silent one by the broker.
			.setTaskScheduler(this.beanFactory.getBean("messageBrokerTaskScheduler", TaskScheduler.class));
		for (StompBrokerRelayCustomizer customizer : this.customizers) {
			customizer.customize(relay);
		}
	}

	TcpOperations<byte[]> getTcpClient() {
		return this.tcpClient;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
