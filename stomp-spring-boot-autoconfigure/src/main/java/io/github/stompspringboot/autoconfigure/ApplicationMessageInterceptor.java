package io.github.stompspringboot.autoconfigure;

import io.github.stompspringboot.broker.ApplicationPrincipal;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Marks what the application sends ({@code @SendTo}, {@code @SendToUser},
 * {@code SimpMessagingTemplate}) so the broker's access rules, which are for clients, do
 * not hold it back: Spring's relay forwards such a reply on the browser's own session.
 * Sits on the broker channel, which browser frames reach only after Spring's user
 * destination handler has translated them; those carry the original destination and are
 * not marked, so a browser sending to another user's destination is still judged by the
 * rules.
 */
final class ApplicationMessageInterceptor implements ChannelInterceptor {

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message,
				SimpMessageHeaderAccessor.class);
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(message.getHeaders());
		if (type != SimpMessageType.MESSAGE || message.getHeaders().containsKey(ApplicationPrincipal.MESSAGE_HEADER)) {
			return message;
		}
		if (accessor != null && accessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION) != null) {
			return message;
		}
		if (accessor != null && accessor.isMutable()) {
			accessor.setHeader(ApplicationPrincipal.MESSAGE_HEADER, Boolean.TRUE);
			return message;
		}
		SimpMessageHeaderAccessor copy = SimpMessageHeaderAccessor.wrap(message);
		if (copy.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION) != null) {
			return message;
		}
		copy.setHeader(ApplicationPrincipal.MESSAGE_HEADER, Boolean.TRUE);
		copy.setLeaveMutable(true);
		return MessageBuilder.createMessage(message.getPayload(), copy.getMessageHeaders());
	}

}
