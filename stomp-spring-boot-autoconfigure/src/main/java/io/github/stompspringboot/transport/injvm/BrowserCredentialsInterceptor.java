package io.github.stompspringboot.transport.injvm;

import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Keeps what a browser's CONNECT offers as proof of who it is ({@code login},
 * {@code passcode}) and where it connects from, for the embedded broker to check as it
 * checks a TCP client's.
 * <p>
 * Spring's relay writes its own client login over the browser's before the frame reaches
 * {@link InJvmTcpClient}, so this sits on the client inbound channel, before the relay,
 * and copies them into a message header no STOMP client can set (clients set native
 * headers only). The remote address comes from the WebSocket handshake, as the session
 * attribute {@link #REMOTE_ADDRESS_ATTRIBUTE}.
 */
public final class BrowserCredentialsInterceptor implements ChannelInterceptor {

	/**
	 * Session attribute with the browser's remote address, set at the WebSocket
	 * handshake.
	 */
	public static final String REMOTE_ADDRESS_ATTRIBUTE = BrowserCredentialsInterceptor.class.getName()
			+ ".remoteAddress";

	static final String CREDENTIALS_HEADER = "stompBrowserCredentials";

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		if (SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) != SimpMessageType.CONNECT) {
			return message;
		}
		StompHeaderAccessor connect = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (connect == null) {
			return message;
		}
		BrowserCredentials credentials = new BrowserCredentials(connect.getLogin(), connect.getPasscode(),
				remoteAddress(connect.getSessionAttributes()));
		if (connect.isMutable()) {
			connect.setHeader(CREDENTIALS_HEADER, credentials);
			return message;
		}
		StompHeaderAccessor copy = StompHeaderAccessor.wrap(message);
		copy.setHeader(CREDENTIALS_HEADER, credentials);
		return MessageBuilder.createMessage(message.getPayload(), copy.getMessageHeaders());
	}

	private static String remoteAddress(Map<String, Object> attributes) {
		Object address = (attributes != null) ? attributes.get(REMOTE_ADDRESS_ATTRIBUTE) : null;
		return (address != null) ? address.toString() : null;
	}

	/**
	 * What the browser sent, before the relay replaced it; never printed with its
	 * passcode.
	 */
	record BrowserCredentials(String login, String passcode, String remoteAddress) {

		@Override
		public String toString() {
			return "BrowserCredentials[login=" + this.login + ", from " + this.remoteAddress + "]";
		}

	}

}
