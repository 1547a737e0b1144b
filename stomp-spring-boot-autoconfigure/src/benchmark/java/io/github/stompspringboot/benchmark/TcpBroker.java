package io.github.stompspringboot.benchmark;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.store.MvStoreMessageStore;
import io.github.stompspringboot.transport.tcp.StompTcpServer;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;

/** A STOMP broker listening on a loopback port, started and stopped by the benchmark. */
interface TcpBroker extends AutoCloseable {

	String name();

	int port();

	@Override
	void close() throws Exception;

	/** This project's engine behind its Netty TCP transport, configured as the starter's defaults. */
	static TcpBroker ours() {
		return ours("stomp-spring-boot", new BrokerSettings(), MessageStore.NONE);
	}

	/**
	 * The engine with every message to {@code /queue/bench-p**} persistent, kept in the
	 * durable MVStore store in the given directory.
	 */
	static TcpBroker oursPersistent(Path storeDir, boolean fsync) {
		return ours("stomp-spring-boot persistent" + (fsync ? "+fsync" : ""),
				new BrokerSettings().setPersistentDestinations(List.of("/queue/bench-p**")),
				new MvStoreMessageStore(storeDir, fsync));
	}

	private static TcpBroker ours(String name, BrokerSettings settings, MessageStore store) {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
		StompBroker broker = new StompBroker(settings, scheduler, store);
		StompTcpServer server = new StompTcpServer(broker, "127.0.0.1", 0, null);
		server.start();
		return new TcpBroker() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public int port() {
				return server.port();
			}

			@Override
			public void close() {
				server.stop();
				broker.shutdown();
				scheduler.shutdownNow();
				store.close();
			}

		};
	}

	/**
	 * ActiveMQ Artemis embedded with only a STOMP acceptor: in memory (persistence off, as
	 * the engine is), security off, {@code /queue/} anycast and {@code /topic/} multicast.
	 */
	static TcpBroker artemis(Path workDir) throws Exception {
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort(); // Artemis does not report a port 0 acceptor's port
		}
		Files.createDirectories(workDir);
		Configuration config = new ConfigurationImpl().setPersistenceEnabled(false)
			.setSecurityEnabled(false)
			.setJMXManagementEnabled(false)
			.setPagingDirectory(workDir.resolve("paging").toString())
			.setBindingsDirectory(workDir.resolve("bindings").toString())
			.setJournalDirectory(workDir.resolve("journal").toString())
			.setLargeMessagesDirectory(workDir.resolve("large").toString());
		config.setBrokerInstance(workDir.toFile());
		config.addAcceptorConfiguration("stomp",
				"tcp://127.0.0.1:" + port + "?protocols=STOMP;anycastPrefix=/queue/;multicastPrefix=/topic/");
		ActiveMQServer server = ActiveMQServers.newActiveMQServer(config, false);
		server.start();
		String version = server.getVersion().getFullVersion();
		return new TcpBroker() {

			@Override
			public String name() {
				return "Artemis " + version;
			}

			@Override
			public int port() {
				return port;
			}

			@Override
			public void close() throws Exception {
				server.stop();
			}

		};
	}

}
