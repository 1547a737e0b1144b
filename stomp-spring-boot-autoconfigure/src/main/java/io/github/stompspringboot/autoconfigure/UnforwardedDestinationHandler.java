package io.github.stompspringboot.autoconfigure;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.handler.invocation.AbstractMethodMessageHandler;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.DefaultUserDestinationResolver;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Answers a browser's SEND or SUBSCRIBE that no handler of Spring's inbound channel takes
 * (the relay forwards only its destination prefixes, the application only its own) with
 * an ERROR naming the destination and the prefixes that are served, instead of Spring's
 * silent drop.
 * <p>
 * Subscribed to the client inbound channel, it sees each frame after every interceptor,
 * as the relay and the {@code @MessageMapping} handler do. It judges by the prefixes of
 * the handlers actually running (so a customizer's or an application's own configuration
 * counts); when one of them has no prefix, it takes every destination, and this handler
 * stays silent.
 */
final class UnforwardedDestinationHandler implements MessageHandler, SmartLifecycle {

	private final SubscribableChannel clientInboundChannel;

	private final MessageChannel clientOutboundChannel;

	private final ListableBeanFactory beanFactory;

	private volatile List<String> servedPrefixes = List.of();

	private volatile boolean everyDestinationServed;

	private volatile boolean running;

	UnforwardedDestinationHandler(SubscribableChannel clientInboundChannel, MessageChannel clientOutboundChannel,
			ListableBeanFactory beanFactory) {
		this.clientInboundChannel = clientInboundChannel;
		this.clientOutboundChannel = clientOutboundChannel;
		this.beanFactory = beanFactory;
	}

	@Override
	public void start() {
		Set<String> prefixes = new LinkedHashSet<>();
		boolean everything = false;
		for (AbstractBrokerMessageHandler broker : this.beanFactory.getBeansOfType(AbstractBrokerMessageHandler.class)
			.values()) {
			everything |= addAll(prefixes, broker.getDestinationPrefixes());
		}
		for (AbstractMethodMessageHandler<?> application : this.beanFactory
			.getBeansOfType(AbstractMethodMessageHandler.class)
			.values()) {
			everything |= addAll(prefixes, application.getDestinationPrefixes());
		}
		for (UserDestinationMessageHandler user : this.beanFactory.getBeansOfType(UserDestinationMessageHandler.class)
			.values()) {
			if (user.getUserDestinationResolver() instanceof DefaultUserDestinationResolver resolver) {
				prefixes.add(resolver.getDestinationPrefix());
			}
		}
		this.servedPrefixes = List.copyOf(prefixes);
		this.everyDestinationServed = everything;
		this.clientInboundChannel.subscribe(this);
		this.running = true;
	}

	private static boolean addAll(Set<String> prefixes, Collection<String> handlerPrefixes) {
		if (handlerPrefixes.isEmpty()) {
			return true;
		}
		prefixes.addAll(handlerPrefixes);
		return false;
	}

	@Override
	public void stop() {
		this.clientInboundChannel.unsubscribe(this);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Before Spring's own handlers (Integer.MAX_VALUE), whose prefixes are set by
		// then.
		return Integer.MAX_VALUE - 1;
	}

	@Override
	public void handleMessage(Message<?> message) {
		if (this.everyDestinationServed) {
			return;
		}
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
		StompCommand command = accessor.getCommand();
		if (command != StompCommand.SEND && command != StompCommand.SUBSCRIBE) {
			return;
		}
		String destination = accessor.getDestination();
		if (destination == null || isServed(destination) || accessor.getSessionId() == null) {
			return;
		}
		StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
		error.setSessionId(accessor.getSessionId());
		error.setMessage("Destination '" + destination + "' is not forwarded to the broker: " + command
				+ " from a browser must use a destination starting with " + String.join(", ", this.servedPrefixes));
		if (accessor.getReceipt() != null) {
			error.setReceiptId(accessor.getReceipt());
		}
		error.setLeaveMutable(true);
		this.clientOutboundChannel.send(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
	}

	private boolean isServed(String destination) {
		for (String prefix : this.servedPrefixes) {
			if (destination.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
