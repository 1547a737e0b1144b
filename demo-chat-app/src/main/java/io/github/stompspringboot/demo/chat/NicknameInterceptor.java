package io.github.stompspringboot.demo.chat;

import java.security.Principal;
import java.util.regex.Pattern;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Makes the nickname a page sends in its CONNECT frame (a {@code nickname} header, or the
 * {@code login} header when there is none) the user of that browser session. Spring then knows
 * who sent each message ({@code Principal} in controllers) and where {@code /user/queue/private}
 * of that person is.
 * <p>
 * A nickname is not a password: anyone may pick any free-form name. Configure broker users
 * (login and passcode) to make people prove who they are.
 */
public class NicknameInterceptor implements ChannelInterceptor {

	private static final Pattern NICKNAME = Pattern.compile("[\\p{L}\\p{N}_.-]{1,24}");

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor != null && (StompCommand.CONNECT.equals(accessor.getCommand())
				|| StompCommand.STOMP.equals(accessor.getCommand()))) {
			accessor.setUser(nickname(accessor));
		}
		return message;
	}

	private static Principal nickname(StompHeaderAccessor connect) {
		String nickname = connect.getFirstNativeHeader("nickname");
		if (nickname == null || nickname.isBlank()) {
			nickname = connect.getLogin();
		}
		nickname = (nickname != null ? nickname.strip() : null);
		if (nickname == null || !NICKNAME.matcher(nickname).matches()) {
			// a MessagingException keeps its message: it becomes the ERROR frame's message header
			throw new MessageDeliveryException(
					"Choose a nickname of 1 to 24 letters, digits, '.', '-' or '_' (a 'nickname' header in CONNECT)");
		}
		return new Nickname(nickname);
	}

	/** The user of a browser session: just the name people see. */
	record Nickname(String name) implements Principal {

		@Override
		public String getName() {
			return this.name;
		}

	}

}
