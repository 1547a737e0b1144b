package io.github.stompspringboot.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.stompspringboot.broker.SessionSink;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

/**
 * A session's outbound side kept in memory, for tests that drive the engine directly:
 * every frame the broker sent, and whether it closed the connection.
 */
public final class RecordingSessionSink implements SessionSink {

	private final List<Message<byte[]>> frames = new CopyOnWriteArrayList<>();

	private final String remoteAddress;

	private volatile boolean closed;

	public RecordingSessionSink(String remoteAddress) {
		this.remoteAddress = remoteAddress;
	}

	public List<Message<byte[]>> frames() {
		return this.frames;
	}

	public List<StompCommand> commands() {
		return this.frames.stream().map((frame) -> StompHeaderAccessor.wrap(frame).getCommand()).toList();
	}

	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public void send(Message<byte[]> frame) {
		this.frames.add(frame);
	}

	@Override
	public void sendHeartbeat() {
	}

	@Override
	public void close() {
		this.closed = true;
	}

	@Override
	public String remoteAddress() {
		return this.remoteAddress;
	}

}
