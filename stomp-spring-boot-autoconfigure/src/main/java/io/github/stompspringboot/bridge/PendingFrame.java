package io.github.stompspringboot.bridge;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * A TCP client's SEND or SUBSCRIBE on its way through the client inbound channel. It
 * rides in the message's headers ({@link TcpClientBridge#FRAME_HEADER}) so that the end
 * of its handling, and a failure no {@code @MessageExceptionHandler} took, find their way
 * back.
 */
final class PendingFrame {

	final LinkedSession session;

	final String command;

	final String destination;

	final @Nullable String receipt;

	private volatile Message<byte[]> message;

	/** Handlers of the channel that have yet to finish with the message. */
	private final AtomicInteger remainingHandlers = new AtomicInteger();

	private volatile @Nullable Throwable failure;

	PendingFrame(LinkedSession session, String command, String destination, @Nullable String receipt) {
		this.session = session;
		this.command = command;
		this.destination = destination;
		this.receipt = receipt;
	}

	Message<byte[]> message() {
		return this.message;
	}

	void setMessage(Message<byte[]> message) {
		this.message = message;
	}

	void expectHandlers(int count) {
		this.remainingHandlers.set(count);
	}

	/** One handler finished; returns whether it was the last. */
	boolean handlerDone() {
		return this.remainingHandlers.decrementAndGet() == 0;
	}

	/**
	 * A handler method threw and nothing handled it; the first failure is the one
	 * reported.
	 */
	void failed(Throwable ex) {
		if (this.failure == null) {
			this.failure = ex;
		}
	}

	@Nullable Throwable failure() {
		return this.failure;
	}

}
