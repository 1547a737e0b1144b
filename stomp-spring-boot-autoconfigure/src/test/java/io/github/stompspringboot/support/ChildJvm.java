package io.github.stompspringboot.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A JVM started from this one's class path that talks in lines: it says it is ready with
 * a line of its own ({@code PORT 61613}), then answers commands written to its standard
 * input with lines that start with an agreed word ({@code HEALTH ...}). One thread reads
 * all it prints, so it never blocks on a full pipe: the ready line and the answers are
 * handed on, everything else (what libraries log) goes to a consumer.
 */
public final class ChildJvm implements AutoCloseable {

	private final Process process;

	private final String readyLine;

	private final BlockingQueue<String> answers;

	private ChildJvm(Process process, String readyLine, BlockingQueue<String> answers) {
		this.process = process;
		this.readyLine = readyLine;
		this.answers = answers;
	}

	/**
	 * Starts {@code java <jvmArgs> -cp <classPath> <mainClass> <args>} and waits (at most
	 * {@code startTimeout}) for its first line starting with {@code readyPrefix}. Its
	 * standard error is appended to {@code errorLog}, or read with its standard output
	 * when that is null.
	 */
	public static ChildJvm start(List<String> jvmArgs, String classPath, String mainClass, List<String> args,
			String readyPrefix, List<String> answerPrefixes, Consumer<String> otherOutput, Duration startTimeout,
			@Nullable Path errorLog) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArgs);
		command.addAll(List.of("-cp", classPath, mainClass));
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command);
		if (errorLog != null) {
			builder.redirectError(ProcessBuilder.Redirect.appendTo(errorLog.toFile()));
		}
		else {
			builder.redirectErrorStream(true);
		}
		Process process = builder.start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		CompletableFuture<@Nullable String> ready = new CompletableFuture<>();
		BlockingQueue<String> answers = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try {
				String line;
				while ((line = out.readLine()) != null) {
					if (!ready.isDone() && line.startsWith(readyPrefix)) {
						ready.complete(line);
					}
					else if (startsWithAny(line, answerPrefixes)) {
						answers.add(line);
					}
					else {
						otherOutput.accept(line);
					}
				}
			}
			catch (IOException ex) {
				// the process is gone
			}
			ready.complete(null);
		}, mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-output");
		reader.setDaemon(true);
		reader.start();
		String line;
		try {
			line = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			throw new IOException(mainClass + " did not say '" + readyPrefix + "' within " + startTimeout, ex);
		}
		if (line == null) {
			process.destroyForcibly();
			throw new IOException(mainClass + " ended before it said '" + readyPrefix + "'");
		}
		return new ChildJvm(process, line, answers);
	}

	private static boolean startsWithAny(String line, List<String> prefixes) {
		for (String prefix : prefixes) {
			if (line.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/** The line that said the child is ready, whole. */
	public String readyLine() {
		return this.readyLine;
	}

	/**
	 * Writes a command line and waits (bounded) for the next answer, which must start
	 * with {@code answerPrefix}.
	 */
	public synchronized String ask(String command, String answerPrefix, Duration timeout) throws IOException {
		OutputStream in = this.process.getOutputStream();
		in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
		in.flush();
		String answer;
		try {
			answer = this.answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted waiting for an answer to '" + command + "'", ex);
		}
		if (answer == null || !answer.startsWith(answerPrefix)) {
			throw new IOException("'" + command + "' was answered with " + answer + " within " + timeout);
		}
		return answer;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Kills the JVM at once (SIGKILL on Unix, like {@code kill -9}) and waits for it to
	 * be gone.
	 */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The child JVM did not die within 30 s");
		}
	}

	/**
	 * Closes its standard input, which a child that reads commands takes as the end, and
	 * waits for it to exit; kills it if it has not within 30 s.
	 */
	public void endInput() throws IOException, InterruptedException {
		this.process.getOutputStream().close();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			kill();
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
