package io.github.stompspringboot.bridge.secured;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity;
import org.springframework.security.messaging.access.intercept.MessageMatcherDelegatingAuthorizationManager;
import org.springframework.stereotype.Controller;

/**
 * An application that authorizes STOMP messages the Spring Security way: one
 * {@code AuthorizationManager<Message<?>>} for its destinations, written once.
 */
@SpringBootApplication
@EnableWebSocketSecurity
public class MessagingSecurityTestApplication {

	@Bean
	AuthorizationManager<Message<?>> messageAuthorizationManager(
			MessageMatcherDelegatingAuthorizationManager.Builder messages) {
		return messages.simpDestMatchers("/app/admin.**", "/topic/admin.**")
			.hasRole("admins")
			.anyMessage()
			.permitAll()
			.build();
	}

	@Controller
	static class AdminController {

		@MessageMapping("/admin.reset")
		@SendTo("/topic/admin.done")
		String reset(String what) {
			return "reset " + what;
		}

	}

}
