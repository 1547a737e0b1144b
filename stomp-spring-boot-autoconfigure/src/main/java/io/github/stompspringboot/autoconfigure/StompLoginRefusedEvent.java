package io.github.stompspringboot.autoconfigure;

import org.springframework.context.ApplicationEvent;

/**
 * A STOMP client's CONNECT was refused (unknown login, wrong passcode, or no login where
 * anonymous access is off), over TCP or from a browser. Published on the connection's
 * thread: a listener that takes time should hand the event on.
 */
public class StompLoginRefusedEvent extends ApplicationEvent {

	private final String login;

	private final String remoteAddress;

	private final String reason;

	public StompLoginRefusedEvent(Object source, String login, String remoteAddress, String reason) {
		super(source);
		this.login = login;
		this.remoteAddress = remoteAddress;
		this.reason = reason;
	}

	/** The login the client offered, or {@code null}. */
	public String getLogin() {
		return this.login;
	}

	public String getRemoteAddress() {
		return this.remoteAddress;
	}

	public String getReason() {
		return this.reason;
	}

}
