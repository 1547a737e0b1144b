package io.github.stompspringboot.autoconfigure;

import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.bridge.TcpClientBridge;
import io.github.stompspringboot.bridge.TcpClientExceptionAdvice;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.transport.injvm.InJvmTcpClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Browsers over WebSocket and SockJS: Spring's {@code @EnableWebSocketMessageBroker} model
 * with its STOMP relay connected to the embedded broker in-process ({@link InJvmTcpClient}),
 * or in relay mode to an external broker over TCP. Applications write
 * {@code @MessageMapping} methods and use {@code SimpMessagingTemplate}; nothing else.
 */
@AutoConfiguration(after = StompBrokerAutoConfiguration.class,
		beforeName = "org.springframework.boot.websocket.autoconfigure.servlet.WebSocketMessagingAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ WebSocketMessageBrokerConfigurer.class, EnableWebSocketMessageBroker.class })
@ConditionalOnBooleanProperty(name = "stomp.websocket.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ StompWebSocketProperties.class, StompBrokerProperties.class })
public final class StompWebSocketAutoConfiguration {

	/** The bean the relay uses to reach the broker; define one with this name to replace it. */
	public static final String RELAY_TCP_CLIENT_BEAN_NAME = "stompRelayTcpClient";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "embedded", matchIfMissing = true)
	@ConditionalOnBean(StompBroker.class)
	@Import(StompWebSocketMessagingConfiguration.class)
	static class EmbeddedBrokerConfiguration {

		@Bean(name = RELAY_TCP_CLIENT_BEAN_NAME)
		@ConditionalOnMissingBean(name = RELAY_TCP_CLIENT_BEAN_NAME)
		InJvmTcpClient stompRelayTcpClient(StompBroker broker, ScheduledThreadPoolExecutor stompBrokerScheduler) {
			return new InJvmTcpClient(broker, stompBrokerScheduler);
		}

		@Bean
		StompBrokerRelayCustomizer stompEmbeddedRelayCustomizer() {
			// Nothing can go silent inside one JVM: the relay's "system" session needs no
			// heart-beats, and the broker then expects none from it.
			return (relay) -> relay.setSystemHeartbeatSendInterval(0).setSystemHeartbeatReceiveInterval(0);
		}

	}

	/**
	 * The embedded broker's TCP clients inside Spring's channels. Embedded mode only: in relay
	 * mode there is no embedded broker, so no TCP listener to bridge.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "embedded", matchIfMissing = true)
	@ConditionalOnBean(StompBroker.class)
	@ConditionalOnBooleanProperty(name = "stomp.websocket.tcp-clients.enabled", matchIfMissing = true)
	static class TcpClientBridgeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TcpClientBridge stompTcpClientBridge(StompBroker broker,
				@Qualifier("clientInboundChannel") AbstractSubscribableChannel clientInboundChannel,
				@Qualifier("clientOutboundChannel") AbstractSubscribableChannel clientOutboundChannel,
				@Qualifier("brokerChannel") AbstractSubscribableChannel brokerChannel,
				@Qualifier("simpAnnotationMethodMessageHandler") SimpAnnotationMethodMessageHandler annotationHandler,
				UserDestinationResolver userDestinationResolver, ApplicationEventPublisher events,
				StompWebSocketProperties properties) {
			StompWebSocketProperties.TcpClients tcpClients = properties.getTcpClients();
			return new TcpClientBridge(broker, clientInboundChannel, clientOutboundChannel, brokerChannel,
					annotationHandler, userDestinationResolver, events, tcpClients.isInboundInterceptors(),
					tcpClients.getMaxPendingFrames());
		}

		@Bean
		@ConditionalOnMissingBean
		TcpClientExceptionAdvice stompTcpClientExceptionAdvice() {
			return new TcpClientExceptionAdvice();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "relay")
	@ConditionalOnClass(name = "reactor.netty.tcp.TcpClient")
	@Import(StompWebSocketMessagingConfiguration.class)
	static class ExternalBrokerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StompRelayConnectionDetails stompRelayConnectionDetails(StompBrokerProperties properties) {
			return new PropertiesStompRelayConnectionDetails(properties.getRelay());
		}

		@Bean(name = RELAY_TCP_CLIENT_BEAN_NAME, destroyMethod = "")
		@ConditionalOnMissingBean(name = RELAY_TCP_CLIENT_BEAN_NAME)
		ReactorNettyTcpClient<byte[]> stompRelayTcpClient(StompRelayConnectionDetails connectionDetails) {
			// The relay shuts it down when it stops.
			return new ReactorNettyTcpClient<>(connectionDetails.getHost(), connectionDetails.getPort(),
					new StompReactorNettyCodec());
		}

		@Bean
		StompBrokerRelayCustomizer stompExternalRelayCustomizer(StompRelayConnectionDetails connectionDetails,
				StompBrokerProperties properties) {
			StompBrokerProperties.Relay relay = properties.getRelay();
			return (registration) -> {
				registration.setRelayHost(connectionDetails.getHost())
					.setRelayPort(connectionDetails.getPort())
					.setClientLogin(connectionDetails.getLogin())
					.setClientPasscode(connectionDetails.getPasscode())
					.setSystemLogin(connectionDetails.getSystemLogin())
					.setSystemPasscode(connectionDetails.getSystemPasscode())
					.setSystemHeartbeatSendInterval(relay.getSystemHeartbeatSend().toMillis())
					.setSystemHeartbeatReceiveInterval(relay.getSystemHeartbeatReceive().toMillis());
				if (StringUtils.hasText(connectionDetails.getVirtualHost())) {
					registration.setVirtualHost(connectionDetails.getVirtualHost());
				}
				if (StringUtils.hasText(relay.getUserDestinationBroadcast())) {
					registration.setUserDestinationBroadcast(relay.getUserDestinationBroadcast());
				}
				if (StringUtils.hasText(relay.getUserRegistryBroadcast())) {
					registration.setUserRegistryBroadcast(relay.getUserRegistryBroadcast());
				}
			};
		}

	}

}
