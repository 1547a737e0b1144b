package io.github.stompspringboot.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a JVM of its own, so that what it costs is the whole process's: CPU time of
 * every thread (garbage collection and JIT compilation included) and heap, none of it
 * shared with the load client or the other broker.
 * <p>
 * In the child ({@link #main} or {@link #serve}): prints
 * {@code PORTS <stomp> <http> <name>} once the broker listens, then answers one command
 * per line on standard input: {@code start} (begin a measure), {@code stop}
 * ({@code USAGE <process CPU ns>
 * <allocated bytes> <GC count> <GC ms>} since {@code start}), {@code heap}
 * ({@code HEAP <bytes>}: heap used after full collections). It exits when its standard
 * input closes, so a benchmark that dies takes its brokers with it.
 */
final class ForkedBroker implements TcpBroker {

	private static final String METER_THREAD = "cpu-meter";

	private final String name;

	private final Process process;

	private final int stompPort;

	private final int httpPort;

	private final BlockingQueue<String> answers;

	private ForkedBroker(String name, Process process, int stompPort, int httpPort, BlockingQueue<String> answers) {
		this.name = name;
		this.process = process;
		this.stompPort = stompPort;
		this.httpPort = httpPort;
		this.answers = answers;
	}

	/**
	 * The child's entry point: {@code ours [name]} (the engine behind its TCP transport,
	 * as {@link TcpBroker#ours()}) or {@code artemis <work dir>} (as
	 * {@link TcpBroker#artemis}).
	 */
	public static void main(String[] args) throws Exception {
		TcpBroker broker = "artemis".equals(args[0]) ? TcpBroker.artemis(Path.of(args[1])) : TcpBroker.ours();
		serve(broker.port(), -1, ("ours".equals(args[0]) && args.length > 1) ? args[1] : broker.name());
		broker.close();
		System.exit(0); // Artemis leaves non-daemon threads behind
	}

	/**
	 * Reports the ports and answers the parent's commands until it closes standard input.
	 */
	static void serve(int stompPort, int httpPort, String name) throws IOException {
		System.out.println("PORTS " + stompPort + " " + httpPort + " " + name);
		System.out.flush();
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		CpuMeter allocation = null;
		long cpuAtStart = 0;
		long[] gcAtStart = gc();
		long[] ticksAtStart = userAndSystemTicks();
		long jitAtStart = 0;
		String command;
		while ((command = in.readLine()) != null) {
			switch (command.trim()) {
				case "start" -> {
					if (allocation != null) {
						allocation.close();
					}
					allocation = CpuMeter.start((thread) -> !METER_THREAD.equals(thread));
					gcAtStart = gc();
					ticksAtStart = userAndSystemTicks();
					jitAtStart = jitMillis();
					cpuAtStart = os.getProcessCpuTime();
					answer("STARTED");
				}
				case "stop" -> {
					long cpu = os.getProcessCpuTime() - cpuAtStart;
					long[] ticks = userAndSystemTicks();
					long[] gcNow = gc();
					long allocated = -1;
					if (allocation != null) {
						allocation.stop();
						allocated = allocation.allocatedBytes();
						allocation = null;
					}
					answer("USAGE " + cpu + " " + allocated + " " + (gcNow[0] - gcAtStart[0]) + " "
							+ (gcNow[1] - gcAtStart[1]) + " " + (ticks[1] - ticksAtStart[1]) * TICK_NANOS + " "
							+ (jitMillis() - jitAtStart));
				}
				case "heap" -> answer("HEAP " + localHeapAfterGc());
				default -> answer("UNKNOWN " + command);
			}
		}
	}

	/** Linux's clock tick, the unit of /proc/self/stat's CPU times (USER_HZ, 100). */
	private static final long TICK_NANOS = 10_000_000;

	/**
	 * The process's user and system CPU ticks from /proc/self/stat; zeros where there is
	 * none. System time is the kernel's work for the broker: on loopback, a write also
	 * carries the bytes to the reader's socket.
	 */
	private static long[] userAndSystemTicks() {
		try {
			String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
			// the fields after the command name, which is in parentheses and may hold
			// spaces
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return new long[] { Long.parseLong(fields[11]), Long.parseLong(fields[12]) };
		}
		catch (IOException | RuntimeException ex) {
			return new long[2];
		}
	}

	private static void answer(String line) {
		System.out.println(line);
		System.out.flush();
	}

	/**
	 * Milliseconds the JIT compilers have worked so far: the part of a run's CPU that is
	 * the broker still warming up.
	 */
	private static long jitMillis() {
		java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
		return (jit != null && jit.isCompilationTimeMonitoringSupported()) ? jit.getTotalCompilationTime() : -1;
	}

	/** Collections and milliseconds spent in them, over all collectors. */
	private static long[] gc() {
		long count = 0;
		long millis = 0;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			count += Math.max(0, collector.getCollectionCount());
			millis += Math.max(0, collector.getCollectionTime());
		}
		return new long[] { count, millis };
	}

	/**
	 * Heap used after full collections, the least of three: in a JVM running only the
	 * broker, what is left is what it holds.
	 */
	private static long localHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	/**
	 * This project's engine, or Artemis, in a JVM of its own with the given heap and GC
	 * options.
	 */
	static ForkedBroker ours(List<String> jvmArgs) throws IOException {
		return fork(jvmArgs, ForkedBroker.class.getName(), List.of("ours"));
	}

	/**
	 * The engine compiled at an earlier commit: {@code classes} (that tree's
	 * {@code target/classes}) stands in for this module's classes on the child's class
	 * path. The dependencies stay this build's, so the earlier tree must have the same.
	 */
	static ForkedBroker before(List<String> jvmArgs, Path classes, String name) throws IOException {
		String ownClasses = Path.of("target", "classes").toAbsolutePath().toString();
		List<String> classPath = new ArrayList<>();
		classPath.add(classes.toAbsolutePath().toString());
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			if (!Path.of(entry).toAbsolutePath().toString().equals(ownClasses)) {
				classPath.add(entry);
			}
		}
		if (classPath.size() > System.getProperty("java.class.path").split(java.io.File.pathSeparator).length) {
			throw new IOException("This module's " + ownClasses + " is not on the class path to stand in for");
		}
		return fork(jvmArgs, String.join(java.io.File.pathSeparator, classPath), ForkedBroker.class.getName(),
				List.of("ours", name));
	}

	static ForkedBroker artemis(List<String> jvmArgs, Path workDir) throws IOException {
		return fork(jvmArgs, ForkedBroker.class.getName(), List.of("artemis", workDir.toString()));
	}

	/**
	 * Starts {@code mainClass} with this JVM's class path and waits (bounded) for its
	 * PORTS line; its other output is passed to this JVM's standard output.
	 */
	static ForkedBroker fork(List<String> jvmArgs, String mainClass, List<String> args) throws IOException {
		return fork(jvmArgs, System.getProperty("java.class.path"), mainClass, args);
	}

	private static ForkedBroker fork(List<String> jvmArgs, String classPath, String mainClass, List<String> args)
			throws IOException {
		String name = mainClass.substring(mainClass.lastIndexOf('.') + 1) + " " + String.join(" ", args);
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArgs);
		command.addAll(List.of("-cp", classPath, mainClass));
		command.addAll(args);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		CompletableFuture<String> ports = new CompletableFuture<>();
		BlockingQueue<String> answers = new LinkedBlockingQueue<>();
		// One thread reads everything the child prints, so it never blocks on a full
		// pipe.
		Thread reader = new Thread(() -> {
			try {
				String line;
				while ((line = out.readLine()) != null) {
					if (line.startsWith("PORTS ")) {
						ports.complete(line);
					}
					else if (line.startsWith("STARTED") || line.startsWith("USAGE ") || line.startsWith("HEAP ")
							|| line.startsWith("UNKNOWN ")) {
						answers.add(line);
					}
					else {
						System.out.println("[" + name + "] " + line);
					}
				}
			}
			catch (IOException ex) {
				// the child is gone
			}
			ports.complete(null);
		}, "forked-broker-output");
		reader.setDaemon(true);
		reader.start();
		String line;
		try {
			line = ports.get(120, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			throw new IOException(name + " did not start within 120 s", ex);
		}
		if (line == null) {
			throw new IOException(name + " exited before it listened");
		}
		String[] values = line.substring("PORTS ".length()).trim().split(" ", 3);
		return new ForkedBroker(values[2], process, Integer.parseInt(values[0]), Integer.parseInt(values[1]), answers);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public int port() {
		return this.stompPort;
	}

	/** The child's HTTP port, -1 when it has none. */
	int httpPort() {
		return this.httpPort;
	}

	@Override
	public Meter startMeter() throws IOException {
		ask("start", "STARTED");
		return () -> {
			String[] usage = ask("stop", "USAGE ").split(" ");
			return new Usage(Long.parseLong(usage[1]), Long.parseLong(usage[2]), Long.parseLong(usage[3]),
					Long.parseLong(usage[4]), Long.parseLong(usage[5]), Long.parseLong(usage[6]));
		};
	}

	/** Heap the broker's JVM uses after full collections: what the broker holds. */
	long heapAfterGc() throws IOException {
		return Long.parseLong(ask("heap", "HEAP ").split(" ")[1]);
	}

	private synchronized String ask(String command, String answerPrefix) throws IOException {
		OutputStream in = this.process.getOutputStream();
		in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
		in.flush();
		String answer;
		try {
			answer = this.answers.poll(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted waiting for " + this.name, ex);
		}
		if (answer == null || !answer.startsWith(answerPrefix)) {
			throw new IOException(this.name + " answered '" + command + "' with " + answer);
		}
		return answer;
	}

	@Override
	public void close() throws Exception {
		this.process.getOutputStream().close();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
	}

}
