package io.github.stompspringboot.support;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.transport.tcp.StompTcpServer;

/**
 * A real broker on a free loopback port, without Spring, for tests of the protocol itself.
 */
public final class EmbeddedBroker implements AutoCloseable {

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final StompBroker broker;

	private final StompTcpServer server;

	private final MessageStore store;

	private EmbeddedBroker(BrokerSettings settings, MessageStore store) {
		this(settings, store, StompAuthenticator.PERMIT_ALL, StompAuthorizationPolicy.ALLOW_ALL);
	}

	private EmbeddedBroker(BrokerSettings settings, MessageStore store, StompAuthenticator authenticator,
			StompAuthorizationPolicy policy) {
		this.store = store;
		this.broker = new StompBroker(settings, this.scheduler, store, authenticator, policy);
		this.server = new StompTcpServer(this.broker, "127.0.0.1", 0, null);
		this.server.start();
	}

	/** A broker that authenticates and authorizes every session with the given security. */
	public static EmbeddedBroker start(Consumer<BrokerSettings> customizer, StompAuthenticator authenticator,
			StompAuthorizationPolicy policy) {
		BrokerSettings settings = new BrokerSettings();
		customizer.accept(settings);
		return new EmbeddedBroker(settings, MessageStore.NONE, authenticator, policy);
	}

	public static EmbeddedBroker start() {
		return start((settings) -> {
		});
	}

	public static EmbeddedBroker start(Consumer<BrokerSettings> customizer) {
		BrokerSettings settings = new BrokerSettings();
		customizer.accept(settings);
		return new EmbeddedBroker(settings, MessageStore.NONE);
	}

	/** A broker that keeps persistent messages in the given store, and closes it when it stops. */
	public static EmbeddedBroker start(MessageStore store, Consumer<BrokerSettings> customizer) {
		BrokerSettings settings = new BrokerSettings();
		customizer.accept(settings);
		return new EmbeddedBroker(settings, store);
	}

	public int port() {
		return this.server.port();
	}

	/** Sockets the TCP server holds open, CONNECTed or not. */
	public int openConnections() {
		return this.server.openConnections();
	}

	public StompBroker broker() {
		return this.broker;
	}

	public RawStompClient client() throws java.io.IOException {
		return new RawStompClient(port());
	}

	@Override
	public void close() {
		this.server.stop();
		this.broker.shutdown();
		this.scheduler.shutdownNow();
		this.store.close();
	}

}
