package io.github.stompspringboot.autoconfigure;

/**
 * Where the STOMP broker runs, as {@code stomp.broker.mode}.
 */
public enum StompBrokerMode {

	/**
	 * The broker engine runs inside this application; browsers reach it through Spring's
	 * relay over an in-JVM link, STOMP clients over TCP.
	 */
	EMBEDDED,

	/**
	 * No broker runs here: Spring's relay forwards every browser session to an external
	 * STOMP broker (RabbitMQ, ActiveMQ, Artemis) over TCP, so several application
	 * instances share it.
	 */
	RELAY

}
