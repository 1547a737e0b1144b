package io.github.stompspringboot.autoconfigure;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the external STOMP broker of relay mode is and how to log in to it. Defaults to
 * {@code stomp.broker.relay.*}; define a bean to supply them from elsewhere.
 */
public interface StompRelayConnectionDetails extends ConnectionDetails {

	String getHost();

	int getPort();

	/** Login of the connection opened for each browser session. */
	String getLogin();

	String getPasscode();

	/** Login of the shared connection carrying messages the application sends. */
	String getSystemLogin();

	String getSystemPasscode();

	/** The "host" header of CONNECT frames, or {@code null} for the relay host. */
	default String getVirtualHost() {
		return null;
	}

}
