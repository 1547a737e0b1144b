package io.github.stompspringboot.test.readme;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Controller;

/** The README's first-screen application, as a user writes it. */
@SpringBootApplication
public class ChatApplication {

	@Controller
	static class ChatController {

		@MessageMapping("/chat") // a client SENDs to /app/chat
		@SendTo("/topic/chat") // every subscriber gets it: browsers and TCP clients alike
		String chat(String text) {
			return text;
		}

	}

}
