package io.github.stompspringboot.autoconfigure;

import java.nio.charset.StandardCharsets;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompConversionException;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

/**
 * Gives a browser whose frame is over Spring's STOMP buffer limit the ERROR a TCP client
 * gets for the same frame ("Frame too large"), in place of the decoder's own wording; any
 * other error is Spring's.
 */
final class FrameTooLargeErrorHandler extends StompSubProtocolErrorHandler {

	private final long maxFrameSize;

	FrameTooLargeErrorHandler(long maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
	}

	@Override
	public Message<byte[]> handleClientMessageProcessingError(Message<byte[]> clientMessage, Throwable ex) {
		if (ex instanceof StompConversionException && ex.getMessage() != null
				&& ex.getMessage().contains("buffer size limit")) {
			StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
			error.setMessage("Frame too large");
			error.setContentType(MimeTypeUtils.TEXT_PLAIN);
			error.setLeaveMutable(true);
			byte[] body = ("The broker accepts bodies of at most " + this.maxFrameSize + " bytes.")
				.getBytes(StandardCharsets.UTF_8);
			return MessageBuilder.createMessage(body, error.getMessageHeaders());
		}
		return super.handleClientMessageProcessingError(clientMessage, ex);
	}

}
