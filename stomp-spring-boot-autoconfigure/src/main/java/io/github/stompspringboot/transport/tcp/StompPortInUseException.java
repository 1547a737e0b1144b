package io.github.stompspringboot.transport.tcp;

/** The TCP port the broker should listen on is taken by another process. */
public class StompPortInUseException extends RuntimeException {

	private final String host;

	private final int port;

	public StompPortInUseException(String host, int port, Throwable cause) {
		super("STOMP TCP port " + port + " on " + host + " is already in use", cause);
		this.host = host;
		this.port = port;
	}

	public String getHost() {
		return this.host;
	}

	public int getPort() {
		return this.port;
	}

}
