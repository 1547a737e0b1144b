package io.github.stompspringboot.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;

/**
 * ActiveMQ Artemis from Maven Central, embedded in the test's JVM with only a STOMP
 * acceptor on a free loopback port: in memory, security off, {@code /queue/} anycast and
 * {@code /topic/} multicast (the prefixes Spring's relay and browsers use).
 */
public final class EmbeddedArtemis implements AutoCloseable {

	private final ActiveMQServer server;

	private final int stompPort;

	private final Path workDir;

	private EmbeddedArtemis(ActiveMQServer server, int stompPort, Path workDir) {
		this.server = server;
		this.stompPort = stompPort;
		this.workDir = workDir;
	}

	public static EmbeddedArtemis start() throws Exception {
		return start(Files.createTempDirectory("artemis-test"), false);
	}

	/**
	 * Artemis working in the directory (deleted on close), with persistence on or off
	 * (its default journal settings, durable sends synced).
	 */
	public static EmbeddedArtemis start(Path workDir, boolean persistent) throws Exception {
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			// Artemis does not report a port 0 acceptor's port
			port = probe.getLocalPort();
		}
		Files.createDirectories(workDir);
		Configuration config = new ConfigurationImpl().setPersistenceEnabled(persistent)
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
		return new EmbeddedArtemis(server, port, workDir);
	}

	public int stompPort() {
		return this.stompPort;
	}

	public String version() {
		return this.server.getVersion().getFullVersion();
	}

	public String journalType() {
		return String.valueOf(this.server.getConfiguration().getJournalType());
	}

	@Override
	public void close() throws Exception {
		this.server.stop();
		try (Stream<Path> files = Files.walk(this.workDir)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

}
