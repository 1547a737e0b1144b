package io.github.stompspringboot.demo.chat;

import java.security.Principal;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.github.stompspringboot.bridge.TcpClientBridge;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Makes the nickname a page (or a telnet, PHP... client on the broker's TCP port) sends
 * in its CONNECT frame (a {@code nickname} header, or the {@code login} header when there
 * is none) the user of that browser session. Spring then knows who sent each message
 * ({@code Principal} in controllers) and where {@code /user/queue/private} of that person
 * is.
 * <p>
 * A nickname is not a password: anyone may pick a free name, and to the broker such a
 * session is anonymous. A nickname that is the login of a configured broker user is only
 * for whoever logs in as that user: the broker checks the passcode, and gives that user's
 * rights.
 */
public class NicknameInterceptor implements ChannelInterceptor {

	private static final Pattern NICKNAME = Pattern.compile("[\\p{L}\\p{N}_.-]{1,24}");

	private static final byte[] EMPTY = new byte[0];

	private final ObjectProvider<MessageChannel> clientOutboundChannel;

	private final Predicate<String> brokerUsers;

	/**
	 * @param clientOutboundChannel where to send the ERROR frame that refuses a CONNECT
	 * @param brokerUsers whether a name is the login of a broker user: such a nickname is
	 * only for the person who logs in with it
	 */
	public NicknameInterceptor(ObjectProvider<MessageChannel> clientOutboundChannel, Predicate<String> brokerUsers) {
		this.clientOutboundChannel = clientOutboundChannel;
		this.brokerUsers = brokerUsers;
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || !(StompCommand.CONNECT.equals(accessor.getCommand())
				|| StompCommand.STOMP.equals(accessor.getCommand()))) {
			return message;
		}
		String nickname = nickname(accessor);
		if (nickname == null && TcpClientBridge.TCP.equals(accessor.getHeader(TcpClientBridge.TRANSPORT_HEADER))) {
			// A telnet or PHP client without a nickname may still talk to /topic/chat.*
			// directly (live only); it is not online and cannot use /app.
			return message;
		}
		if (nickname == null) {
			refuse(accessor, "Choose a nickname of 1 to 24 letters, digits, '.', '-' or '_'"
					+ " (the 'nickname' header of CONNECT)");
			return null;
		}
		if (this.brokerUsers.test(nickname) && !nickname.equals(accessor.getLogin())) {
			// The broker checks the passcode of the login; the nickname alone would let
			// anyone appear as that user to the other people in the chat.
			refuse(accessor, "The nickname " + nickname + " belongs to a broker user: give its passcode"
					+ " (the 'login' and 'passcode' headers of CONNECT)");
			return null;
		}
		accessor.setUser(new Nickname(nickname));
		return message;
	}

	private static @Nullable String nickname(StompHeaderAccessor connect) {
		String nickname = connect.getFirstNativeHeader("nickname");
		if (nickname == null || nickname.isBlank()) {
			nickname = connect.getLogin();
		}
		nickname = (nickname != null ? nickname.strip() : null);
		return (nickname != null && NICKNAME.matcher(nickname).matches()) ? nickname : null;
	}

	/**
	 * Answers the CONNECT with an ERROR frame (Spring closes the session after it).
	 * Throwing would only be logged: the starter keeps each session's frames in order,
	 * and Spring's ordered channel does not turn an interceptor's exception into an ERROR
	 * frame.
	 */
	private void refuse(StompHeaderAccessor connect, String reason) {
		StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
		error.setMessage(reason);
		error.setSessionId(connect.getSessionId());
		this.clientOutboundChannel.getObject().send(MessageBuilder.createMessage(EMPTY, error.getMessageHeaders()));
	}

	/** The user of a browser session: just the name people see. */
	record Nickname(String name) implements Principal {

		@Override
		public String getName() {
			return this.name;
		}

	}

}
