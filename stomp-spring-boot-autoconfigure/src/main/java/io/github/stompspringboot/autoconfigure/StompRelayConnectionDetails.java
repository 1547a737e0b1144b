package io.github.stompspringboot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;

/**
 * Where the external STOMP broker of relay mode is and how to log in to it. Defaults to
 * {@code stomp.broker.relay.*}; define a bean to supply them from elsewhere.
 */
public interface StompRelayConnectionDetails extends ConnectionDetails {

	/** The first node the relay tries; with one node, the broker. */
	String getHost();

	int getPort();

	/**
	 * The nodes of the broker cluster, the first one preferred: the relay connects to the
	 * current one and moves to the next when a connection to it fails or drops.
	 */
	default List<Address> getAddresses() {
		return List.of(new Address(getHost(), getPort()));
	}

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

	/** TLS for the connections to the broker, or {@code null} for plain TCP. */
	default SslBundle getSslBundle() {
		return null;
	}

	/** One node of the broker. */
	record Address(String host, int port) {

		@Override
		public String toString() {
			return (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + this.port;
		}

	}

}
