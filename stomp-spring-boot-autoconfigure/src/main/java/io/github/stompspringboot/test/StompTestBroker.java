package io.github.stompspringboot.test;

import java.io.IOException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.transport.tcp.StompTcpServer;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The embedded broker engine on a free loopback TCP port, without Spring: for tests of
 * code that talks STOMP (a client library, a gateway) and needs a real broker, not a
 * mock. Usually started by {@link StompBrokerExtension}.
 */
public final class StompTestBroker implements AutoCloseable {

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
			new CustomizableThreadFactory("stomp-test-broker-timer-"));

	private final MessageStore store;

	private final StompBroker broker;

	private final StompTcpServer server;

	private StompTestBroker(BrokerSettings settings, MessageStore store, StompAuthenticator authenticator,
			StompAuthorizationPolicy policy) {
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.store = store;
		this.broker = new StompBroker(settings, this.scheduler, store, authenticator, policy);
		this.server = new StompTcpServer(this.broker, "127.0.0.1", 0, null);
		try {
			this.server.start();
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** A broker with the engine's defaults. */
	public static StompTestBroker start() {
		return start((settings) -> {
		});
	}

	/**
	 * A broker with settings changed from the defaults, e.g.
	 * {@code s -> s.addDestinationOverride("/queue/**", (queue) -> queue.withMaxRedeliveries(1))}.
	 */
	public static StompTestBroker start(Consumer<BrokerSettings> customizer) {
		return start(customizer, MessageStore.NONE, StompAuthenticator.PERMIT_ALL, StompAuthorizationPolicy.ALLOW_ALL);
	}

	/**
	 * A broker with its own store (closed when the broker stops) and security.
	 */
	public static StompTestBroker start(Consumer<BrokerSettings> customizer, MessageStore store,
			StompAuthenticator authenticator, StompAuthorizationPolicy policy) {
		BrokerSettings settings = new BrokerSettings();
		customizer.accept(settings);
		return new StompTestBroker(settings, store, authenticator, policy);
	}

	/** The TCP port on 127.0.0.1. */
	public int port() {
		return this.server.port();
	}

	/** The engine, to look at its destinations and sessions. */
	public StompBroker broker() {
		return this.broker;
	}

	/** Sockets the TCP listener holds open, CONNECTed or not. */
	public int openConnections() {
		return this.server.openConnections();
	}

	/** A client of this broker, not yet connected. */
	public StompTestClient client() throws IOException {
		return StompTestClient.tcp(port());
	}

	/** Stops listening, tells connected clients with an ERROR, closes the store. */
	@Override
	public void close() {
		try {
			this.server.stop();
			this.broker.shutdown();
		}
		finally {
			this.scheduler.shutdownNow();
			this.store.close();
		}
	}

}
