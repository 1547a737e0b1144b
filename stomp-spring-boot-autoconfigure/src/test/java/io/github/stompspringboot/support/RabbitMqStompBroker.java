package io.github.stompspringboot.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real RabbitMQ with its STOMP plugin, started from Debian's {@code rabbitmq-server} on
 * loopback with free ports, its own Erlang port mapper and a throw-away data directory,
 * and stopped after. Tests that need it skip when the package is not installed.
 */
public final class RabbitMqStompBroker implements AutoCloseable {

	private static final Path SERVER = Path.of("/usr/lib/rabbitmq/bin/rabbitmq-server");

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private final Path directory;

	private final int stompPort;

	private final int epmdPort;

	private final Process process;

	private RabbitMqStompBroker(Path directory, int stompPort, int epmdPort, Process process) {
		this.directory = directory;
		this.stompPort = stompPort;
		this.epmdPort = epmdPort;
		this.process = process;
	}

	/**
	 * Starts RabbitMQ and waits until its STOMP listener answers CONNECT with CONNECTED.
	 */
	public static RabbitMqStompBroker start() throws Exception {
		assumeTrue(Files.isExecutable(SERVER),
				"rabbitmq-server not installed: apt-get install rabbitmq-server (the relay-mode tests need it)");
		Path directory = Files.createTempDirectory("rabbitmq-stomp-test");
		int amqpPort = ExternalProcessPorts.next();
		int stompPort = ExternalProcessPorts.next();
		int distPort = ExternalProcessPorts.next();
		int epmdPort = ExternalProcessPorts.next();
		Files.writeString(directory.resolve("enabled_plugins"), "[rabbitmq_stomp].\n");
		Files.writeString(directory.resolve("rabbitmq.conf"), "listeners.tcp.default = 127.0.0.1:" + amqpPort + "\n"
				+ "stomp.listeners.tcp.1 = 127.0.0.1:" + stompPort + "\n" + "loopback_users = none\n");
		ProcessBuilder builder = new ProcessBuilder(SERVER.toString()).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("server.log").toFile());
		Map<String, String> env = builder.environment();
		env.put("HOME", directory.toString());
		env.put("RABBITMQ_NODENAME", "stomptest" + UUID.randomUUID().toString().substring(0, 8) + "@localhost");
		env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
		env.put("RABBITMQ_NODE_PORT", String.valueOf(amqpPort));
		env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
		env.put("ERL_EPMD_PORT", String.valueOf(epmdPort));
		env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
		env.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq.conf").toString());
		env.put("RABBITMQ_ADVANCED_CONFIG_FILE", directory.resolve("advanced.config").toString());
		env.put("RABBITMQ_CONF_ENV_FILE", directory.resolve("rabbitmq-env.conf").toString());
		env.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
		env.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
		env.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
		env.put("RABBITMQ_PLUGINS_EXPAND_DIR", directory.resolve("expand").toString());
		RabbitMqStompBroker broker = new RabbitMqStompBroker(directory, stompPort, epmdPort, builder.start());
		try {
			broker.awaitStompConnected();
		}
		catch (Exception | AssertionError ex) {
			String log = Files.readString(directory.resolve("server.log"), StandardCharsets.UTF_8);
			broker.close();
			throw new IllegalStateException("RabbitMQ did not start; its output:\n" + log, ex);
		}
		return broker;
	}

	private void awaitStompConnected() throws Exception {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		IOException last = null;
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("rabbitmq-server exited with " + this.process.exitValue());
			}
			try (RawStompClient client = new RawStompClient(this.stompPort)) {
				client.send("CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\n\n\0");
				RawStompClient.Frame frame = client.receive();
				if ("CONNECTED".equals(frame.command())) {
					return;
				}
				throw new IllegalStateException("RabbitMQ answered CONNECT with " + frame);
			}
			catch (IOException ex) {
				last = ex;
				this.process.waitFor(500, TimeUnit.MILLISECONDS);
			}
		}
		throw new IllegalStateException("RabbitMQ's STOMP port did not answer within " + STARTUP_TIMEOUT, last);
	}

	public int stompPort() {
		return this.stompPort;
	}

	/**
	 * Stops the node (TERM, then KILL after a deadline), its port mapper, and deletes its
	 * data.
	 */
	@Override
	public void close() throws Exception {
		List<ProcessHandle> descendants = this.process.descendants().toList();
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
		for (ProcessHandle handle : descendants) {
			if (handle.isAlive()) {
				handle.destroy();
				try {
					handle.onExit().get(15, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					handle.destroyForcibly();
				}
			}
		}
		// The port mapper daemonizes, so it is no descendant: ask it by its own port to
		// stop.
		ProcessBuilder epmd = new ProcessBuilder("epmd", "-kill").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		epmd.environment().put("ERL_EPMD_PORT", String.valueOf(this.epmdPort));
		try {
			Process kill = epmd.start();
			if (!kill.waitFor(10, TimeUnit.SECONDS)) {
				kill.destroyForcibly();
			}
		}
		catch (IOException ex) {
			// no epmd on the PATH: nothing was started
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}
