package io.github.stompspringboot.transport.tcp;

/** The TCP port the broker should listen on is taken by another process. */
public class StompPortInUseException extends RuntimeException {

	private final String host;

	private final int port;

	private final boolean tls;

	public StompPortInUseException(String host, int port, Throwable cause) {
		this(host, port, false, cause);
	}

	/**
	 * @param tls whether the listener that could not bind is the TLS one, whose port is
	 * configured apart from the plain one
	 */
	public StompPortInUseException(String host, int port, boolean tls, Throwable cause) {
		super("STOMP " + (tls ? "TLS" : "TCP") + " port " + port + " on " + host + " is already in use", cause);
		this.host = host;
		this.port = port;
		this.tls = tls;
	}

	public String getHost() {
		return this.host;
	}

	public int getPort() {
		return this.port;
	}

	/** Whether the TLS listener's port is the one taken. */
	public boolean isTls() {
		return this.tls;
	}

}
