package io.github.stompspringboot.autoconfigure;

import org.springframework.context.ApplicationEvent;

/**
 * The broker's access rules refused a STOMP frame (connect, send to, receive from, or
 * create a destination); the client got an ERROR. Published on the connection's thread: a
 * listener that takes time should hand the event on.
 */
public class StompAccessDeniedEvent extends ApplicationEvent {

	private final String user;

	private final String remoteAddress;

	private final String action;

	private final String destination;

	public StompAccessDeniedEvent(Object source, String user, String remoteAddress, String action, String destination) {
		super(source);
		this.user = user;
		this.remoteAddress = remoteAddress;
		this.action = action;
		this.destination = destination;
	}

	/** The session's user, or {@code null} when anonymous. */
	public String getUser() {
		return this.user;
	}

	public String getRemoteAddress() {
		return this.remoteAddress;
	}

	/** {@code connect}, {@code send to}, {@code receive from} or {@code create}. */
	public String getAction() {
		return this.action;
	}

	/** The destination, or {@code null} for connect. */
	public String getDestination() {
		return this.destination;
	}

}
