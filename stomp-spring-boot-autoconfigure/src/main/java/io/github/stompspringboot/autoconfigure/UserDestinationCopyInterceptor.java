package io.github.stompspringboot.autoconfigure;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Works around a Spring Framework 7.0 defect that loses messages to users with more than
 * one session once receive order is preserved: {@code UserDestinationMessageHandler} sends
 * one message object to each session's destination through an ordered channel decorator that
 * needs mutable headers, but the broker channel's last interceptor makes them immutable on
 * the first send, so the second send fails ("Expected mutable SimpMessageHeaderAccessor")
 * and the user's other tabs never get the message.
 * <p>
 * Placed before that interceptor on the broker channel, this hands the channel a copy of
 * such a message, leaving the original mutable for the next session. Only messages on that
 * path (ordered, with an original user destination) are copied.
 */
final class UserDestinationCopyInterceptor implements ChannelInterceptor {

	private static final String NEXT_MESSAGE_TASK_HEADER = "simpNextMessageTask";

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message,
				SimpMessageHeaderAccessor.class);
		if (accessor == null || !accessor.isMutable() || accessor.getHeader(NEXT_MESSAGE_TASK_HEADER) == null
				|| accessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION) == null) {
			return message;
		}
		SimpMessageHeaderAccessor copy = (accessor instanceof StompHeaderAccessor)
				? StompHeaderAccessor.wrap(message) : SimpMessageHeaderAccessor.wrap(message);
		copy.setLeaveMutable(true);
		return MessageBuilder.createMessage(message.getPayload(), copy.getMessageHeaders());
	}

}
