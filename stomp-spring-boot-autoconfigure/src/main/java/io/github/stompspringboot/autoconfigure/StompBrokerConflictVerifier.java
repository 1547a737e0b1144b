package io.github.stompspringboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Fails startup when an application's {@link WebSocketMessageBrokerConfigurer} enabled a
 * broker of its own: Spring would run its simple broker beside ours (two brokers
 * answering the same destinations), or the application's relay would replace ours
 * (browsers silently cut off from the embedded broker's queues and TCP clients). Neither
 * is what anybody wants by accident, so the message says which property expresses the
 * intent instead.
 */
final class StompBrokerConflictVerifier implements SmartInitializingSingleton {

	private final ListableBeanFactory beanFactory;

	StompBrokerConflictVerifier(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.beanFactory.getBeansOfType(SimpleBrokerMessageHandler.class, false, false).isEmpty()) {
			throw new StompBrokerConflictException("Spring's simple broker (enableSimpleBroker)",
					applicationConfigurers());
		}
		StompWebSocketMessageBrokerConfigurer ours = this.beanFactory
			.getBean(StompWebSocketMessageBrokerConfigurer.class);
		for (StompBrokerRelayMessageHandler relay : this.beanFactory
			.getBeansOfType(StompBrokerRelayMessageHandler.class, false, false)
			.values()) {
			if (relay.getTcpClient() != ours.getTcpClient()) {
				throw new StompBrokerConflictException("A STOMP broker relay of its own (enableStompBrokerRelay)",
						applicationConfigurers());
			}
		}
	}

	private List<String> applicationConfigurers() {
		List<String> names = new ArrayList<>();
		for (Map.Entry<String, WebSocketMessageBrokerConfigurer> entry : this.beanFactory
			.getBeansOfType(WebSocketMessageBrokerConfigurer.class, false, false)
			.entrySet()) {
			String type = entry.getValue().getClass().getName();
			if (!(entry.getValue() instanceof StompWebSocketMessageBrokerConfigurer)
					&& !type.startsWith("org.springframework.boot.")) {
				names.add(entry.getKey());
			}
		}
		return names;
	}

}
