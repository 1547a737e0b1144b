package io.github.stompspringboot.demo.chat.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.stompspringboot.test.StompTestClient;

/**
 * A RabbitMQ cluster of two nodes with the STOMP plugin, from Debian's
 * {@code rabbitmq-server}, on loopback: each node with its own node name, ports and data
 * directory, both sharing one Erlang cookie and one port mapper of their own, the second
 * joined to the first with {@code rabbitmqctl join_cluster}. Started once per test class
 * (a node takes seconds to boot) and stopped after, data deleted.
 */
public final class RabbitMqCluster implements AutoCloseable {

	private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private final Path directory;

	private final int epmdPort;

	private final List<Node> nodes = new ArrayList<>();

	private RabbitMqCluster(Path directory, int epmdPort) {
		this.directory = directory;
		this.epmdPort = epmdPort;
	}

	public static boolean available() {
		return Files.isExecutable(BIN.resolve("rabbitmq-server")) && Files.isExecutable(BIN.resolve("rabbitmqctl"));
	}

	/**
	 * Starts both nodes at once, joins the second to the first, and waits for both STOMP
	 * ports.
	 */
	public static RabbitMqCluster start() throws Exception {
		Path directory = Files.createTempDirectory("rabbitmq-cluster-test");
		RabbitMqCluster cluster = new RabbitMqCluster(directory, ExternalProcessPorts.next());
		try {
			// the nodes find each other through the cookie in the HOME they share
			Path cookie = directory.resolve(".erlang.cookie");
			Files.writeString(cookie, UUID.randomUUID().toString().replace("-", ""));
			Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
			String suffix = UUID.randomUUID().toString().substring(0, 8);
			Node first = cluster.startNode("stompa" + suffix);
			Node second = cluster.startNode("stompb" + suffix);
			first.awaitStomp();
			second.awaitStomp();
			cluster.ctl(second, "stop_app");
			cluster.ctl(second, "join_cluster", first.name);
			cluster.ctl(second, "start_app");
			second.awaitStomp();
			return cluster;
		}
		catch (Exception | AssertionError ex) {
			String logs = cluster.logs();
			cluster.close();
			throw new IllegalStateException("The RabbitMQ cluster did not start:\n" + logs, ex);
		}
	}

	private Node startNode(String shortName) throws IOException {
		Path home = this.directory.resolve(shortName);
		Files.createDirectories(home);
		int amqpPort = ExternalProcessPorts.next();
		int stompPort = ExternalProcessPorts.next();
		Files.writeString(home.resolve("enabled_plugins"), "[rabbitmq_stomp].\n");
		Files.writeString(home.resolve("rabbitmq.conf"), "listeners.tcp.default = 127.0.0.1:" + amqpPort + "\n"
				+ "stomp.listeners.tcp.1 = 127.0.0.1:" + stompPort + "\n" + "loopback_users = none\n");
		ProcessBuilder builder = new ProcessBuilder(BIN.resolve("rabbitmq-server").toString()).directory(home.toFile())
			.redirectErrorStream(true)
			.redirectOutput(home.resolve("server.log").toFile());
		Map<String, String> env = environment(builder);
		env.put("RABBITMQ_NODENAME", shortName + "@localhost");
		env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
		env.put("RABBITMQ_NODE_PORT", String.valueOf(amqpPort));
		env.put("RABBITMQ_DIST_PORT", String.valueOf(ExternalProcessPorts.next()));
		env.put("RABBITMQ_CONFIG_FILE", home.resolve("rabbitmq.conf").toString());
		env.put("RABBITMQ_ADVANCED_CONFIG_FILE", home.resolve("advanced.config").toString());
		env.put("RABBITMQ_CONF_ENV_FILE", home.resolve("rabbitmq-env.conf").toString());
		env.put("RABBITMQ_ENABLED_PLUGINS_FILE", home.resolve("enabled_plugins").toString());
		env.put("RABBITMQ_MNESIA_BASE", home.resolve("mnesia").toString());
		env.put("RABBITMQ_LOG_BASE", home.resolve("log").toString());
		env.put("RABBITMQ_PLUGINS_EXPAND_DIR", home.resolve("expand").toString());
		Node node = new Node(shortName + "@localhost", stompPort, home, builder.start());
		this.nodes.add(node);
		return node;
	}

	private Map<String, String> environment(ProcessBuilder builder) {
		Map<String, String> env = builder.environment();
		env.put("HOME", this.directory.toString());
		env.put("ERL_EPMD_PORT", String.valueOf(this.epmdPort));
		env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
		return env;
	}

	private void ctl(Node node, String... command) throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(List.of(BIN.resolve("rabbitmqctl").toString(), "-n", node.name));
		line.addAll(List.of(command));
		ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
		environment(builder);
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("rabbitmqctl " + String.join(" ", command) + " did not finish in 60 s");
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("rabbitmqctl " + String.join(" ", command) + " failed: "
					+ new String(output, StandardCharsets.UTF_8));
		}
	}

	/** The STOMP port of node 0 (the first) or 1. */
	public int stompPort(int node) {
		return this.nodes.get(node).stompPort;
	}

	/**
	 * Stops one node the way an operator would ({@code rabbitmqctl stop}); the other
	 * keeps running.
	 */
	public void stopNode(int index) throws Exception {
		Node node = this.nodes.get(index);
		ctl(node, "stop");
		if (!node.process.waitFor(30, TimeUnit.SECONDS)) {
			node.destroy();
		}
	}

	private String logs() {
		StringBuilder logs = new StringBuilder();
		for (Node node : this.nodes) {
			try {
				logs.append("--- ")
					.append(node.name)
					.append('\n')
					.append(Files.readString(node.home.resolve("server.log"), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				logs.append("(no log: ").append(ex.getMessage()).append(")\n");
			}
		}
		return logs.toString();
	}

	/**
	 * Stops both nodes (TERM, then KILL after a deadline), their port mapper, and deletes
	 * their data.
	 */
	@Override
	public void close() throws Exception {
		for (Node node : this.nodes) {
			node.destroy();
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

	private static final class Node {

		private final String name;

		private final int stompPort;

		private final Path home;

		private final Process process;

		Node(String name, int stompPort, Path home, Process process) {
			this.name = name;
			this.stompPort = stompPort;
			this.home = home;
			this.process = process;
		}

		/** Until the node's STOMP listener answers CONNECT with CONNECTED. */
		void awaitStomp() throws Exception {
			long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
			IOException last = null;
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException(this.name + " exited with " + this.process.exitValue());
				}
				try (StompTestClient client = StompTestClient.tcp(this.stompPort)) {
					// fails with the node's message if it answers ERROR
					client.connect(Map.of("host", "/", "login", "guest", "passcode", "guest"));
					return;
				}
				catch (IOException ex) {
					last = ex;
					this.process.waitFor(250, TimeUnit.MILLISECONDS);
				}
			}
			throw new IllegalStateException(this.name + ": STOMP did not answer within " + STARTUP_TIMEOUT, last);
		}

		void destroy() throws InterruptedException {
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
		}

	}

}
