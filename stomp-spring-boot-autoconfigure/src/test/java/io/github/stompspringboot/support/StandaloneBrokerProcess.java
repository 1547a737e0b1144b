package io.github.stompspringboot.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link StandaloneBroker} in a separate JVM with the test classpath, so a test can
 * kill it as {@code kill -9} would ({@link #kill()}) and start it again on the same
 * store.
 */
public final class StandaloneBrokerProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private StandaloneBrokerProcess(Process process, int port) {
		this.process = process;
		this.port = port;
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
		// journal
		// warns of the transaction a kill cut short): the port line is the first that
		// says PORT.
		CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
			try {
				String read = out.readLine();
				while (read != null && !read.startsWith("PORT ")) {
					Files.writeString(log, read + System.lineSeparator(), StandardCharsets.UTF_8,
							StandardOpenOption.CREATE, StandardOpenOption.APPEND);
					read = out.readLine();
				}
				return read;
			}
			catch (IOException ex) {
				return null;
			}
		});
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
		return new StandaloneBrokerProcess(process, Integer.parseInt(line.substring(5).trim()));
	}

	public int port() {
		return this.port;
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
