package io.github.stompspringboot.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A third-party STOMP client installed on the machine (Debian's stomp.py, PHP's Stomp
 * extension, Ruby's stomp gem, Perl's Net::Stomp), running one script of
 * {@code src/test/resources/clients} as a child process: bounded by a timeout, killed
 * with its children when it overruns, its output captured for the assertion message.
 */
public enum ExternalClient {

	/**
	 * Debian's python3-stomp lives in the system Python, not in a pyenv one earlier on
	 * the PATH.
	 */
	STOMP_PY("python3-stomp", List.of("/usr/bin/python3"), List.of("-c", "import stomp")),

	PHP_STOMP("php-cli php-stomp", List.of("php"), List.of("-r", "exit(class_exists('Stomp') ? 0 : 1);")),

	RUBY_STOMP("ruby-stomp", List.of("ruby"), List.of("-e", "require 'stomp'")),

	PERL_NET_STOMP("libnet-stomp-perl", List.of("perl"), List.of("-MNet::Stomp", "-e", "1"));

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);

	/**
	 * Generous: stomp.py's disconnect waits for its receipt; a loaded CI machine is slow
	 * to start PHP.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

	private final String debianPackages;

	private final List<String> interpreter;

	private final List<String> probeArguments;

	private Boolean available;

	ExternalClient(String debianPackages, List<String> interpreter, List<String> probeArguments) {
		this.debianPackages = debianPackages;
		this.interpreter = interpreter;
		this.probeArguments = probeArguments;
	}

	/**
	 * Skips the calling test, saying what to install, when this client is not on the
	 * machine.
	 */
	public void assumeInstalled() {
		assumeTrue(isInstalled(), () -> name() + " is not installed: apt-get install -y " + this.debianPackages);
	}

	public synchronized boolean isInstalled() {
		if (this.available == null) {
			List<String> command = new ArrayList<>(this.interpreter);
			command.addAll(this.probeArguments);
			try {
				this.available = execute(command, PROBE_TIMEOUT).exitCode() == 0;
			}
			catch (IOException ex) { // no such interpreter
				this.available = false;
			}
		}
		return this.available;
	}

	/** Runs {@code clients/<script>} with the given arguments and waits for it to end. */
	public Result run(String script, Object... arguments) {
		return runWithin(DEFAULT_TIMEOUT, script, arguments);
	}

	public Result runWithin(Duration timeout, String script, Object... arguments) {
		assumeInstalled();
		List<String> command = new ArrayList<>(this.interpreter);
		command.add(scriptPath(script).toString());
		for (Object argument : arguments) {
			command.add(String.valueOf(argument));
		}
		try {
			return execute(command, timeout);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
	}

	/** Bytes as a command-line argument that no shell or locale can mangle. */
	public static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

	private static Path scriptPath(String script) {
		URL url = ExternalClient.class.getResource("/clients/" + script);
		if (url == null) {
			throw new IllegalArgumentException("No script src/test/resources/clients/" + script);
		}
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Result execute(List<String> command, Duration timeout) throws IOException {
		// Output goes to a file, not a pipe: a chatty client can never block on a full
		// pipe.
		File output = Files.createTempFile("stomp-client-", ".out").toFile();
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output)
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.start();
			boolean finished;
			try {
				finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
				if (!finished) {
					process.descendants().forEach(ProcessHandle::destroyForcibly);
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted while waiting for " + command, ex);
			}
			String text = Files.readString(output.toPath(), StandardCharsets.UTF_8);
			return new Result(command, finished ? process.exitValue() : -1, !finished, text);
		}
		finally {
			output.delete();
		}
	}

	/** How a client process ended and what it printed (stdout and stderr together). */
	public record Result(List<String> command, int exitCode, boolean timedOut, String output) {

		/**
		 * Asserts the client ended in time with exit code 0; the failure shows all it
		 * printed.
		 */
		public Result assertSucceeded() {
			assertThat(this.timedOut).as("%s", this).isFalse();
			assertThat(this.exitCode).as("%s", this).isZero();
			return this;
		}

		@Override
		public String toString() {
			return String.join(" ", this.command) + (this.timedOut ? " timed out" : " exited " + this.exitCode)
					+ ", output:\n" + this.output;
		}

	}

}
