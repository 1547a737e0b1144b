package io.github.stompspringboot.bridge;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * The last {@code @MessageExceptionHandler}, reached only when neither the controller nor
 * another advice handled a handler method's exception. Spring would log it and carry on,
 * so a TCP client waiting for a RECEIPT would wait forever: its frame is marked failed,
 * and the client gets an ERROR. For a browser's frame it logs what Spring logs.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public final class TcpClientExceptionAdvice {

	private static final Log logger = LogFactory.getLog(TcpClientExceptionAdvice.class);

	@MessageExceptionHandler(Exception.class)
	public void unhandled(Exception ex, Message<?> message) {
		logger.error("Unhandled exception from message handler method", ex);
		if (message.getHeaders().get(TcpClientBridge.FRAME_HEADER) instanceof PendingFrame frame) {
			frame.failed(ex);
		}
	}

}
