package io.github.stompspringboot.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ActiveMQ Classic from Debian's {@code activemq} package, in a JVM of its own with only
 * a STOMP transport on a free loopback port, in memory, no JMX, its data in a throw-away
 * directory; stopped after. Tests that need it skip when the package is not installed.
 */
public final class ActiveMqClassicBroker implements AutoCloseable {

	private static final Path HOME = Path.of("/usr/share/activemq");

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private final Path directory;

	private final int stompPort;

	private final Process process;

	private String version;

	private ActiveMqClassicBroker(Path directory, int stompPort, Process process) {
		this.directory = directory;
		this.stompPort = stompPort;
		this.process = process;
	}

	public static ActiveMqClassicBroker start() throws Exception {
		assumeTrue(Files.isReadable(HOME.resolve("bin/activemq.jar")),
				"ActiveMQ Classic not installed: apt-get install activemq (the ActiveMQ relay tests need it)");
		Path directory = Files.createTempDirectory("activemq-test");
		int port = ExternalProcessPorts.next();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-Dactivemq.home=" + HOME,
				"-Dactivemq.base=" + directory, "-Dactivemq.conf=" + directory,
				"-Dactivemq.data=" + directory.resolve("data"), "-jar", HOME.resolve("bin/activemq.jar").toString(),
				"start", "broker:(stomp://127.0.0.1:" + port + ")?persistent=false&useJmx=false")
			.directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("activemq.log").toFile());
		ActiveMqClassicBroker broker = new ActiveMqClassicBroker(directory, port, builder.start());
		try {
			broker.awaitStompConnected();
		}
		catch (Exception | AssertionError ex) {
			String log = Files.readString(directory.resolve("activemq.log"), StandardCharsets.UTF_8);
			broker.close();
			throw new IllegalStateException("ActiveMQ did not start; its output:\n" + log, ex);
		}
		return broker;
	}

	private void awaitStompConnected() throws Exception {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		IOException last = null;
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("activemq exited with " + this.process.exitValue());
			}
			try (RawStompClient client = new RawStompClient(this.stompPort)) {
				client.send("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
				RawStompClient.Frame frame = client.receive();
				if ("CONNECTED".equals(frame.command())) {
					this.version = frame.headers().get("server");
					return;
				}
				throw new IllegalStateException("ActiveMQ answered CONNECT with " + frame);
			}
			catch (IOException ex) {
				last = ex;
				this.process.waitFor(250, TimeUnit.MILLISECONDS);
			}
		}
		throw new IllegalStateException("ActiveMQ's STOMP port did not answer within " + STARTUP_TIMEOUT, last);
	}

	public int stompPort() {
		return this.stompPort;
	}

	/** As its CONNECTED frame says, such as {@code ActiveMQ/5.17.2}. */
	public String version() {
		return this.version;
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}
