package io.github.stompspringboot.demo.chat;

import io.github.stompspringboot.broker.security.InMemoryStompUsers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * The one thing the chat adds to the starter's WebSocket set-up (endpoint {@code /stomp},
 * {@code /app}, {@code /topic}, {@code /queue}, {@code /user} and the relay to the
 * embedded broker, all auto-configured): a nickname for each browser session, and
 * Spring's user registry ahead of the chat's roster.
 */
@Configuration(proxyBeanMethods = false)
public class ChatWebSocketConfiguration implements WebSocketMessageBrokerConfigurer {

	private final ObjectProvider<MessageChannel> clientOutboundChannel;

	private final ObjectProvider<InMemoryStompUsers> brokerUsers;

	ChatWebSocketConfiguration(@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel,
			ObjectProvider<InMemoryStompUsers> brokerUsers) {
		this.clientOutboundChannel = clientOutboundChannel;
		this.brokerUsers = brokerUsers;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new NicknameInterceptor(this.clientOutboundChannel, (nickname) -> {
			InMemoryStompUsers users = this.brokerUsers.getIfAvailable();
			return users != null && users.contains(nickname);
		}));
	}

	/**
	 * Spring's user registry sees each session event before {@link ChatRoster} reads it.
	 */
	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.setUserRegistryOrder(Ordered.HIGHEST_PRECEDENCE);
	}

}
