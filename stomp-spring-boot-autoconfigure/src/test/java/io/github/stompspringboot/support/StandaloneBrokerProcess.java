package io.github.stompspringboot.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link StandaloneBroker} in a separate JVM with the test classpath, so a test can
 * kill it as {@code kill -9} would ({@link #kill()}) and start it again on the same
 * store.
 */
public final class StandaloneBrokerProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final BlockingQueue<String> healthLines;

	private StandaloneBrokerProcess(Process process, int port, BlockingQueue<String> healthLines) {
		this.process = process;
		this.port = port;
		this.healthLines = healthLines;
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
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(
				List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
						StandaloneBroker.class.getName(), storeDir.toString(), Boolean.toString(fsync)));
		builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
		Process process = builder.start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		// Libraries may log to standard output before the broker reports its port (the
		// journal warns of the transaction a kill cut short), and go on logging (a
		// failing disk makes the journal log every error): one thread reads it all, so
		// the broker never blocks on a full pipe, hands on the port and health lines and
		// logs the rest.
		CompletableFuture<String> firstLine = new CompletableFuture<>();
		BlockingQueue<String> healthLines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try {
				String read;
				while ((read = out.readLine()) != null) {
					if (read.startsWith("PORT ")) {
						firstLine.complete(read);
					}
					else if (read.startsWith("HEALTH ")) {
						healthLines.add(read);
					}
					else {
						Files.writeString(log, read + System.lineSeparator(), StandardCharsets.UTF_8,
								StandardOpenOption.CREATE, StandardOpenOption.APPEND);
					}
				}
			}
			catch (IOException ex) {
				// the process is gone
			}
			firstLine.complete(null);
		}, "standalone-broker-output");
		reader.setDaemon(true);
		reader.start();
		String line;
		try {
			line = firstLine.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			throw new IOException("The standalone broker did not start within 60 s; see " + log, ex);
		}
		if (line == null || !line.startsWith("PORT ")) {
			process.destroyForcibly();
			throw new IOException("The standalone broker failed to start (" + line + "); see " + log);
		}
		return new StandaloneBrokerProcess(process, Integer.parseInt(line.substring(5).trim()), healthLines);
	}

	public int port() {
		return this.port;
	}

	/** The process id, for tools that act on the running broker ({@code prlimit}). */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Asks the broker's health indicator: {@code "<status> <store details>"}, e.g.
	 * {@code "UP {durable=true, ...}"}.
	 */
	public String health() throws IOException, InterruptedException {
		this.process.getOutputStream().write("health\n".getBytes(StandardCharsets.UTF_8));
		this.process.getOutputStream().flush();
		String line = this.healthLines.poll(30, TimeUnit.SECONDS);
		if (line == null) {
			throw new IOException("The standalone broker did not answer a health request within 30 s");
		}
		return line.substring("HEALTH ".length());
	}

	/**
	 * Kills the JVM at once (SIGKILL on Unix, like {@code kill -9}) and waits for it to
	 * be gone.
	 */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The broker process did not die within 30 s");
		}
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
