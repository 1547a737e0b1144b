package io.github.stompspringboot.websocket.app;

import java.security.Principal;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * An application as a user writes it: {@code @MessageMapping} methods, and a channel
 * interceptor that authenticates CONNECT (here: trusts a "user" header, as a token check
 * would). No broker configuration: the starter supplies it.
 */
@SpringBootApplication
public class BrowserTestApplication implements WebSocketMessageBrokerConfigurer {

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new ChannelInterceptor() {
			@Override
			public Message<?> preSend(Message<?> message, MessageChannel channel) {
				StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
				if (accessor != null && StompCommand.CONNECT.equals(accessor.getCommand())) {
					String user = accessor.getFirstNativeHeader("user");
					if (user != null) {
						accessor.setUser(new NamedPrincipal(user));
					}
				}
				return message;
			}
		});
	}

	/** A user as the security layer would establish it. */
	public record NamedPrincipal(String getName) implements Principal {

	}

	@Controller
	static class EchoController {

		@MessageMapping("/echo")
		@SendTo("/topic/echo")
		String echo(String text) {
			return "echo:" + text;
		}

		@MessageMapping("/whoami")
		@SendToUser("/queue/whoami")
		String whoami(Principal principal) {
			return (principal != null) ? principal.getName() : "anonymous";
		}

	}

}
