package io.github.stompspringboot.autoconfigure;

import java.util.concurrent.ScheduledExecutorService;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.transport.injvm.InJvmTcpClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Browsers over WebSocket and SockJS: Spring's {@code @EnableWebSocketMessageBroker} model
 * with its STOMP relay connected to the embedded broker in-process ({@link InJvmTcpClient}),
 * or in relay mode to an external broker over TCP. Applications write
 * {@code @MessageMapping} methods and use {@code SimpMessagingTemplate}; nothing else.
 * <p>
 * After Boot's task scheduling: Spring's {@code messageBrokerTaskScheduler}, registered here,
 * would otherwise switch off Boot's {@code taskScheduler}, and an application's
 * {@code @Scheduled} methods would run on the thread the relay forwards heart-beats on.
 */
@AutoConfiguration(after = StompBrokerAutoConfiguration.class,
		afterName = "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
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
		InJvmTcpClient stompRelayTcpClient(StompBroker broker,
				@Qualifier(StompBrokerAutoConfiguration.SCHEDULER_BEAN_NAME) ScheduledExecutorService stompBrokerScheduler) {
			return new InJvmTcpClient(broker, stompBrokerScheduler);
		}

		@Bean
		StompBrokerRelayCustomizer stompEmbeddedRelayCustomizer() {
			// Nothing can go silent inside one JVM: the relay's "system" session needs no
			// heart-beats, and the broker then expects none from it.
			return (relay) -> relay.setSystemHeartbeatSendInterval(0).setSystemHeartbeatReceiveInterval(0);
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
