package io.github.stompspringboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.tcp.TcpOperations;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;

/**
 * Spring's WebSocket messaging with the starter's relay, once a way to the broker exists
 * (the in-JVM client or, in relay mode, Reactor Netty). Imported by
 * {@link StompWebSocketAutoConfiguration}'s mode configurations only, so neither
 * {@code @EnableWebSocketMessageBroker} nor Spring's fallback simple broker ever appears
 * without a broker to relay to.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
final class StompWebSocketMessagingConfiguration {

	@Bean
	StompWebSocketMessageBrokerConfigurer stompWebSocketMessageBrokerConfigurer(StompWebSocketProperties webSocket,
			StompBrokerProperties broker,
			@Qualifier(StompWebSocketAutoConfiguration.RELAY_TCP_CLIENT_BEAN_NAME) TcpOperations<byte[]> tcpClient,
			BeanFactory beanFactory, ObjectProvider<StompBrokerRelayCustomizer> customizers) {
		return new StompWebSocketMessageBrokerConfigurer(webSocket, broker.getLimits(), destinationPrefixes(broker),
				tcpClient, beanFactory, customizers.orderedStream().toList());
	}

	private static List<String> destinationPrefixes(StompBrokerProperties broker) {
		if (broker.getMode() == StompBrokerMode.RELAY && broker.getRelay().getDestinationPrefixes() != null) {
			return broker.getRelay().getDestinationPrefixes();
		}
		List<String> prefixes = new ArrayList<>(broker.getDestinations().getTopicPrefixes());
		prefixes.addAll(broker.getDestinations().getQueuePrefixes());
		return prefixes;
	}

	@Bean
	static FlushBeforeCloseWebSocketHandler.Installer flushBeforeCloseWebSocketHandlerInstaller(
			BeanFactory beanFactory) {
		return new FlushBeforeCloseWebSocketHandler.Installer(beanFactory);
	}

	@Bean
	static PerSessionUserDestinationResolver.Installer perSessionUserDestinationResolverInstaller() {
		return new PerSessionUserDestinationResolver.Installer();
	}

	@Bean
	UnforwardedDestinationHandler stompUnforwardedDestinationHandler(
			@Qualifier("clientInboundChannel") SubscribableChannel clientInboundChannel,
			@Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel, ListableBeanFactory beanFactory) {
		return new UnforwardedDestinationHandler(clientInboundChannel, clientOutboundChannel, beanFactory);
	}

	@Bean
	static StompBrokerConflictVerifier stompBrokerConflictVerifier(ListableBeanFactory beanFactory) {
		return new StompBrokerConflictVerifier(beanFactory);
	}

}
