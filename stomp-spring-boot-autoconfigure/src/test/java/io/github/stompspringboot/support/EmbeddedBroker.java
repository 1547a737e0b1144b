package io.github.stompspringboot.support;

import java.util.function.Consumer;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.test.StompTestBroker;

/**
 * A real broker on a free loopback port, without Spring, for tests of the protocol
 * itself: the users' {@link StompTestBroker} with a {@link RawStompClient} at hand. Tests
 * that need no other store or security use {@code StompBrokerExtension} instead.
 */
public final class EmbeddedBroker implements AutoCloseable {

	private final StompTestBroker broker;

	private EmbeddedBroker(StompTestBroker broker) {
		this.broker = broker;
	}

	/**
	 * A broker that authenticates and authorizes every session with the given security.
	 */
	public static EmbeddedBroker start(Consumer<BrokerSettings> customizer, StompAuthenticator authenticator,
			StompAuthorizationPolicy policy) {
		return new EmbeddedBroker(StompTestBroker.start(customizer, MessageStore.NONE, authenticator, policy));
	}

	public static EmbeddedBroker start() {
		return start((settings) -> {
		});
	}

	public static EmbeddedBroker start(Consumer<BrokerSettings> customizer) {
		return new EmbeddedBroker(StompTestBroker.start(customizer));
	}

	/**
	 * A broker that keeps persistent messages in the given store, and closes it when it
	 * stops.
	 */
	public static EmbeddedBroker start(MessageStore store, Consumer<BrokerSettings> customizer) {
		return new EmbeddedBroker(StompTestBroker.start(customizer, store, StompAuthenticator.PERMIT_ALL,
				StompAuthorizationPolicy.ALLOW_ALL));
	}

	public int port() {
		return this.broker.port();
	}

	/** Sockets the TCP server holds open, CONNECTed or not. */
	public int openConnections() {
		return this.broker.openConnections();
	}

	public StompBroker broker() {
		return this.broker.broker();
	}

	public RawStompClient client() throws java.io.IOException {
		return new RawStompClient(port());
	}

	@Override
	public void close() {
		this.broker.close();
	}

}
