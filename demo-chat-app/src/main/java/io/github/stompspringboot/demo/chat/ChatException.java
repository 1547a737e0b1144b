package io.github.stompspringboot.demo.chat;

/**
 * Something a person did that the chat refuses, with a sentence that tells them why. Sent
 * back to that person's page only, on {@code /user/queue/errors}.
 */
public class ChatException extends RuntimeException {

	public ChatException(String message) {
		super(message);
	}

}
