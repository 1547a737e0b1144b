package io.github.stompspringboot.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import javax.net.ssl.SSLException;

import io.github.stompspringboot.bridge.TcpClientBridge;
import io.github.stompspringboot.bridge.TcpClientExceptionAdvice;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.security.AuthenticationManagerLoginVerifier;
import io.github.stompspringboot.transport.injvm.InJvmTcpClient;
import io.github.stompspringboot.transport.relay.FailoverTcpClient;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.simp.user.UserRegistryMessageHandler;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.tcp.TcpOperations;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Browsers over WebSocket and SockJS: Spring's {@code @EnableWebSocketMessageBroker}
 * model with its STOMP relay connected to the embedded broker in-process
 * ({@link InJvmTcpClient}), or in relay mode to an external broker over TCP. Applications
 * write {@code @MessageMapping} methods and use {@code SimpMessagingTemplate}; nothing
 * else.
 * <p>
 * After Boot's task scheduling: Spring's {@code messageBrokerTaskScheduler}, registered
 * here, would otherwise switch off Boot's {@code taskScheduler}, and an application's
 * {@code @Scheduled} methods would run on the thread the relay forwards heart-beats on.
 */
@AutoConfiguration(after = { StompBrokerAutoConfiguration.class, SslAutoConfiguration.class },
		afterName = "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
		beforeName = "org.springframework.boot.websocket.autoconfigure.servlet.WebSocketMessagingAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ WebSocketMessageBrokerConfigurer.class, EnableWebSocketMessageBroker.class })
@ConditionalOnBooleanProperty(name = "stomp.websocket.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ StompWebSocketProperties.class, StompBrokerProperties.class })
public final class StompWebSocketAutoConfiguration {

	/**
	 * The bean the relay uses to reach the broker; define one with this name to replace
	 * it.
	 */
	public static final String RELAY_TCP_CLIENT_BEAN_NAME = "stompRelayTcpClient";

	private static final String REACTOR_NETTY_TCP_CLIENT = "reactor.netty.tcp.TcpClient";

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

	/**
	 * The embedded broker's TCP clients inside Spring's channels. Embedded mode only: in
	 * relay mode there is no embedded broker, so no TCP listener to bridge.
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
			TcpClientBridge bridge = new TcpClientBridge(broker, clientInboundChannel, clientOutboundChannel,
					brokerChannel, annotationHandler, userDestinationResolver, events,
					tcpClients.isInboundInterceptors(), tcpClients.getMaxPendingFrames());
			if (ClassUtils.isPresent("org.springframework.security.core.Authentication",
					StompWebSocketAutoConfiguration.class.getClassLoader())) {
				// the application's messaging authorization then judges TCP clients by
				// their groups
				bridge.setPrincipals(AuthenticationManagerLoginVerifier::authenticationOf);
			}
			return bridge;
		}

		@Bean
		@ConditionalOnMissingBean
		TcpClientExceptionAdvice stompTcpClientExceptionAdvice() {
			return new TcpClientExceptionAdvice();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "relay")
	@Import(StompWebSocketMessagingConfiguration.class)
	static class ExternalBrokerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StompRelayConnectionDetails stompRelayConnectionDetails(StompBrokerProperties properties,
				ObjectProvider<SslBundles> sslBundles) {
			return new PropertiesStompRelayConnectionDetails(properties.getRelay(), sslBundles);
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

		/**
		 * Spring broadcasts the user registry every half of its expiration period and
		 * offers no other way to set it than on the handler itself.
		 */
		@Bean
		static BeanPostProcessor stompUserRegistryBroadcastInterval(ObjectProvider<StompBrokerProperties> properties) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessBeforeInitialization(Object bean, String beanName) {
					if (bean instanceof UserRegistryMessageHandler handler) {
						Duration interval = properties.getObject().getRelay().getUserRegistryBroadcastInterval();
						if (interval == null || interval.toMillis() <= 0) {
							throw new InvalidConfigurationPropertyValueException(
									"stomp.broker.relay.user-registry-broadcast-interval", interval,
									"must be positive; to stop sharing users set "
											+ "stomp.broker.relay.user-registry-broadcast to empty");
						}
						handler.setRegistryExpirationPeriod(interval.multipliedBy(2).toMillis());
					}
					return bean;
				}

			};
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = REACTOR_NETTY_TCP_CLIENT)
		static class ReactorNettyClientConfiguration {

			@Bean(name = RELAY_TCP_CLIENT_BEAN_NAME, destroyMethod = "")
			@ConditionalOnMissingBean(name = RELAY_TCP_CLIENT_BEAN_NAME)
			FailoverTcpClient stompRelayTcpClient(StompRelayConnectionDetails connectionDetails) throws SSLException {
				// The relay shuts it down when it stops.
				List<InetSocketAddress> addresses = connectionDetails.getAddresses()
					.stream()
					.map((address) -> InetSocketAddress.createUnresolved(address.host(), address.port()))
					.toList();
				SslBundle bundle = connectionDetails.getSslBundle();
				if (bundle == null) {
					return new FailoverTcpClient(addresses, Function.identity());
				}
				SslContext sslContext = clientSslContext(bundle);
				return new FailoverTcpClient(addresses,
						(client) -> client.secure((spec) -> spec.sslContext(sslContext)));
			}

			/**
			 * Netty's client-side TLS from the bundle's trust (and key) managers,
			 * protocols and ciphers.
			 */
			static SslContext clientSslContext(SslBundle bundle) throws SSLException {
				SslManagerBundle managers = bundle.getManagers();
				SslContextBuilder builder = SslContextBuilder.forClient()
					.keyManager(managers.getKeyManagerFactory())
					.trustManager(managers.getTrustManagerFactory());
				SslOptions options = bundle.getOptions();
				if (options.getEnabledProtocols() != null) {
					builder.protocols(options.getEnabledProtocols());
				}
				if (options.getCiphers() != null) {
					builder.ciphers(Arrays.asList(options.getCiphers()));
				}
				return builder.build();
			}

		}

		/**
		 * Without Reactor Netty Spring's relay has no way to the broker: fail the start
		 * with a message naming the dependency rather than start without a STOMP
		 * endpoint.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnMissingClass(REACTOR_NETTY_TCP_CLIENT)
		static class MissingReactorNettyConfiguration {

			@Bean(name = RELAY_TCP_CLIENT_BEAN_NAME)
			@ConditionalOnMissingBean(name = RELAY_TCP_CLIENT_BEAN_NAME)
			TcpOperations<byte[]> stompRelayTcpClient() {
				throw new StompRelayClientMissingException();
			}

		}

	}

}
