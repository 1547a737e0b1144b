package io.github.stompspringboot.bridge;

import java.security.Principal;
import java.util.ArrayDeque;
import java.util.Map;

import io.github.stompspringboot.broker.StompSession;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

/**
 * A TCP client's session as Spring knows it: its session id, user and attributes, and the
 * frames for the application that wait for the one in progress to be handled (a session's
 * frames reach the handlers one at a time, in order, as a browser's do).
 */
final class LinkedSession {

	final StompSession session;

	/** The session id of Spring's headers; unguessable, unlike the engine's own. */
	final String id;

	/** Decided on CONNECT: the broker's user, else one an inbound interceptor set. */
	volatile @Nullable Principal user;

	final Map<String, Object> attributes;

	/** The CONNECT as the application saw it; Spring's CONNECTED event refers to it. */
	volatile @Nullable Message<byte[]> connectMessage;

	/** The head is in progress when {@link #inProgress}; guarded by {@code this}. */
	private final ArrayDeque<PendingFrame> waiting = new ArrayDeque<>();

	private boolean inProgress;

	private boolean ended;

	LinkedSession(StompSession session, String id, @Nullable Principal user, Map<String, Object> attributes) {
		this.session = session;
		this.id = id;
		this.user = user;
		this.attributes = attributes;
	}

	/** Queues a frame; returns {@code false} when {@code max} frames already wait. */
	synchronized boolean enqueue(PendingFrame frame, int max) {
		if (this.waiting.size() >= max) {
			return false;
		}
		this.waiting.add(frame);
		return true;
	}

	/**
	 * The next frame to send to the handlers, or {@code null} if one is in progress or
	 * none waits.
	 */
	synchronized PendingFrame startNext() {
		if (this.inProgress || this.waiting.isEmpty()) {
			return null;
		}
		this.inProgress = true;
		return this.waiting.peek();
	}

	/**
	 * The frame in progress was handled; returns whether the session is ended and idle
	 * now.
	 */
	synchronized boolean finished(PendingFrame frame) {
		if (this.waiting.peek() == frame) {
			this.waiting.poll();
			this.inProgress = false;
		}
		return this.ended && !this.inProgress && this.waiting.isEmpty();
	}

	/**
	 * The client is gone. Frames it sent before still reach the handlers (it did send
	 * them); returns whether nothing is left to hand over.
	 */
	synchronized boolean end() {
		this.ended = true;
		return !this.inProgress && this.waiting.isEmpty();
	}

}
