package io.github.stompspringboot.autoconfigure;

import java.util.List;

/**
 * An application's own WebSocket configuration enabled a message broker next to the one
 * this starter relays browsers to.
 */
public class StompBrokerConflictException extends IllegalStateException {

	private final String broker;

	private final List<String> configurers;

	StompBrokerConflictException(String broker, List<String> configurers) {
		super(broker + " was enabled by a WebSocketMessageBrokerConfigurer " + configurers
				+ " besides the broker relay of stomp-spring-boot");
		this.broker = broker;
		this.configurers = configurers;
	}

	/** Which broker the application enabled, such as "Spring's simple broker". */
	public String getBroker() {
		return this.broker;
	}

	/** Bean names of the application's WebSocketMessageBrokerConfigurers. */
	public List<String> getConfigurers() {
		return this.configurers;
	}

}
