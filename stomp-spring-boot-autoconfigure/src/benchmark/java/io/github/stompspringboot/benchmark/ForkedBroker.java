package io.github.stompspringboot.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.stompspringboot.support.ChildJvm;

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

	private final ChildJvm jvm;

	private final int stompPort;

	private final int httpPort;

	private ForkedBroker(String name, ChildJvm jvm, int stompPort, int httpPort) {
		this.name = name;
		this.jvm = jvm;
		this.stompPort = stompPort;
		this.httpPort = httpPort;
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
		Path ownClasses = Path.of("target", "classes").toAbsolutePath();
		List<String> classPath = new ArrayList<>();
		boolean replaced = false;
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
			boolean own = Path.of(entry).toAbsolutePath().equals(ownClasses);
			classPath.add(own ? classes.toAbsolutePath().toString() : entry);
			replaced |= own;
		}
		if (!replaced) {
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
		String label = "[" + mainClass.substring(mainClass.lastIndexOf('.') + 1) + " " + String.join(" ", args) + "] ";
		ChildJvm jvm = ChildJvm.start(jvmArgs, classPath, mainClass, args, "PORTS ",
				List.of("STARTED", "USAGE ", "HEAP ", "UNKNOWN "), (line) -> System.out.println(label + line),
				Duration.ofSeconds(120), null);
		String[] values = jvm.readyLine().substring("PORTS ".length()).trim().split(" ", 3);
		return new ForkedBroker(values[2], jvm, Integer.parseInt(values[0]), Integer.parseInt(values[1]));
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

	private String ask(String command, String answerPrefix) throws IOException {
		return this.jvm.ask(command, answerPrefix, Duration.ofSeconds(60));
	}

	@Override
	public void close() throws Exception {
		this.jvm.endInput();
	}

}
