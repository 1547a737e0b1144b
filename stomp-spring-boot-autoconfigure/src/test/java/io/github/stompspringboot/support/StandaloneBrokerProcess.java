package io.github.stompspringboot.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * Runs {@link StandaloneBroker} in a separate JVM with the test classpath, so a test can
 * kill it as {@code kill -9} would ({@link #kill()}) and start it again on the same
 * store.
 */
public final class StandaloneBrokerProcess implements AutoCloseable {

	private final ChildJvm jvm;

	private final int port;

	private StandaloneBrokerProcess(ChildJvm jvm) {
		this.jvm = jvm;
		this.port = Integer.parseInt(jvm.readyLine().substring("PORT ".length()).trim());
	}

	/** Starts the broker and waits (bounded) for it to report its port. */
	public static StandaloneBrokerProcess start(Path storeDir, Path log) throws IOException {
		return start(storeDir, log, false);
	}

	/**
	 * Starts the broker with the store's fsync setting and waits (bounded) for it to
	 * report its port.
	 */
	public static StandaloneBrokerProcess start(Path storeDir, Path log, boolean fsync) throws IOException {
		// Libraries may log to standard output before the broker reports its port (the
		// journal warns of the transaction a kill cut short), and go on logging (a
		// failing
		// disk makes the journal log every error): all of it goes to the log.
		try {
			return new StandaloneBrokerProcess(
					ChildJvm.start(List.of("-Xmx512m"), System.getProperty("java.class.path"),
							StandaloneBroker.class.getName(), List.of(storeDir.toString(), Boolean.toString(fsync)),
							"PORT ", List.of("HEALTH "), (line) -> appendTo(log, line), Duration.ofSeconds(60), log));
		}
		catch (IOException ex) {
			throw new IOException("The standalone broker did not start; see " + log, ex);
		}
	}

	private static void appendTo(Path log, String line) {
		try {
			Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			// the log is for reading after a failure; a line lost from it fails nothing
		}
	}

	public int port() {
		return this.port;
	}

	/** The process id, for tools that act on the running broker ({@code prlimit}). */
	public long pid() {
		return this.jvm.pid();
	}

	/**
	 * Asks the broker's health indicator: {@code "<status> <store details>"}, e.g.
	 * {@code "UP {durable=true, ...}"}.
	 */
	public String health() throws IOException {
		return this.jvm.ask("health", "HEALTH ", Duration.ofSeconds(30)).substring("HEALTH ".length());
	}

	/**
	 * Kills the JVM at once (SIGKILL on Unix, like {@code kill -9}) and waits for it to
	 * be gone.
	 */
	public void kill() throws InterruptedException {
		this.jvm.kill();
	}

	public boolean isAlive() {
		return this.jvm.isAlive();
	}

	@Override
	public void close() throws InterruptedException {
		this.jvm.close();
	}

}
