package io.github.stompspringboot.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs every contender side by side, on the same workloads with the same client, and
 * reports ratios: (1) this project's broker and (2) ActiveMQ Artemis over loopback TCP,
 * each in a JVM of its own, (3) this project's engine and Spring's simple broker in the
 * JVM, (4) the starter and Spring's simple broker behind one WebSocket application.
 * Rounds rotate which broker goes first, and the median round counts, because the machine
 * is shared and noisy.
 * <p>
 * Options (all optional): {@code --rounds 3 --messages 200000 --fanout-messages 50000
 * --seconds 10 --window 1000 --latency-rate 5000 --latency-messages 20000
 * --injvm-deliveries 1000000 --persistent-messages 20000 --ws-roundtrips 5000 --ws-subscribers 100
 * --ws-broadcast-messages 2000 --ws-window 50 --fanout100-messages 10000 --warm-ups 2
 * --only a,b,c,f,d,idle,p,injvm,websocket,wsport,tcpapp,ops --out target/benchmark-results.md}.
 * {@code --broker-jfr DIR} records a JFR profile of each TCP broker's JVM;
 * {@code --before-classes DIR --before-label NAME} adds this engine compiled at another
 * commit (that tree's {@code target/classes}) to the TCP workloads.
 */
public final class StompBenchmark {

	private final Map<String, String> options;

	private final int rounds;

	private final long limitNanos;

	private final int window;

	private final StringBuilder report = new StringBuilder();

	private final AtomicInteger destinationSequence = new AtomicInteger();

	/** Heap bytes allocated per message by each broker's threads, a table per section. */
	private final StringBuilder allocationRows = new StringBuilder();

	private StompBenchmark(Map<String, String> options) {
		this.options = options;
		this.rounds = intOption("rounds", 3);
		this.limitNanos = TimeUnit.SECONDS.toNanos(intOption("seconds", 10));
		this.window = intOption("window", 1000);
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		new StompBenchmark(options).run();
		System.exit(0); // Artemis leaves non-daemon threads behind
	}

	private void run() throws Exception {
		Path out = Path.of(this.options.getOrDefault("out", "target/benchmark-results.md"));
		String loadAverage = loadAverage();
		this.report.append("# STOMP broker benchmark\n\n")
			.append(String.format(Locale.ROOT,
					"%s, %d cores, Java %s, load average at start %s. **A shared, noisy machine** "
							+ "(other builds ran on it): compare the ratios within this run, not the absolute "
							+ "figures across runs. Each figure is the median of %d rounds after a warm-up; "
							+ "rounds alternate which broker goes first.%n%n",
					Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
					System.getProperty("java.version"), loadAverage, this.rounds))
			.append(String.format(Locale.ROOT,
					"Same load client for every broker: blocking loopback sockets, pipelined SENDs of %d-byte "
							+ "bodies, a reader thread per connection, at most %d messages in flight per run; a "
							+ "run ends after its message count or %d s, whichever comes first. JVM: %s.%n%n",
					TcpWorkloads.BODY_SIZE, this.window, TimeUnit.NANOSECONDS.toSeconds(this.limitNanos),
					String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
		String only = this.options.getOrDefault("only", "a,b,c,f,d,idle,p,injvm,websocket,tcpapp,ops");
		List<String> selected = Arrays.asList(only.split(","));
		if (selected.stream().anyMatch((w) -> List.of("a", "b", "c", "f", "d", "idle").contains(w))) {
			tcp(selected, out.toAbsolutePath().getParent().resolve("artemis-work"));
		}
		if (selected.contains("p")) {
			persistence(out.toAbsolutePath().getParent().resolve("persistence-work"));
		}
		if (selected.contains("depth")) {
			depth(out.toAbsolutePath().getParent().resolve("persistence-work"));
		}
		if (selected.contains("soak")) {
			soak(out.toAbsolutePath().getParent().resolve("persistence-work"));
		}
		if (selected.contains("injvm")) {
			inJvm();
		}
		if (selected.contains("websocket")) {
			webSocket();
		}
		if (selected.contains("wsport")) {
			brokerPortWebSocket();
		}
		if (selected.contains("tcpapp")) {
			tcpApplication();
		}
		if (selected.contains("ops")) {
			operations();
		}
		Files.createDirectories(out.toAbsolutePath().getParent());
		Files.writeString(out, this.report);
		System.out.println();
		System.out.println(this.report);
		System.out.println("Written to " + out.toAbsolutePath());
	}

	private void tcp(List<String> selected, Path artemisWork) throws Exception {
		int messages = intOption("messages", 200_000);
		int fanOutMessages = intOption("fanout-messages", 50_000);
		List<String> jvmArgs = brokerJvmArgs();
		String beforeClasses = this.options.get("before-classes");
		try (ForkedBroker ours = ForkedBroker.ours(withRecording(jvmArgs, "ours"));
				ForkedBroker artemis = ForkedBroker.artemis(withRecording(jvmArgs, "artemis"), artemisWork);
				ForkedBroker before = (beforeClasses != null)
						? ForkedBroker.before(withRecording(jvmArgs, "before"), Path.of(beforeClasses),
								"stomp-spring-boot " + this.options.getOrDefault("before-label", "before"))
						: null) {
			log("Brokers up: " + ours.name() + " on " + ours.port() + ", " + artemis.name() + " on " + artemis.port()
					+ ((before != null) ? ", " + before.name() + " on " + before.port() : ""));
			List<ForkedBroker> brokers = new ArrayList<>(List.of(ours, artemis));
			if (before != null) {
				brokers.add(before);
			}
			this.report.append("## Over loopback TCP: ")
				.append(ours.name())
				.append(" vs ")
				.append(artemis.name())
				.append("\n\n")
				.append("Each broker in a JVM of its own (")
				.append(String.join(" ", jvmArgs))
				.append("), the load client in this one. Artemis embedded with only a STOMP acceptor, persistence "
						+ "and security off; ours as the starter's defaults"
						+ ((before != null) ? "; " + before.name() + ": this engine compiled from the tree in "
								+ beforeClasses + ", same dependencies, workloads and rounds" : "")
						+ ".\n\n");
			if (selected.stream().anyMatch((w) -> List.of("a", "b", "c", "f").contains(w))) {
				this.report
					.append("msg/s counts MESSAGE frames received by all consumers together. CPU µs/msg: CPU time "
							+ "of the broker's whole process over the run (getProcessCpuTime in its JVM, every thread: "
							+ "garbage collection and JIT compilation included) divided by the MESSAGE frames received, "
							+ "median of the rounds [per round].\n\n")
					.append("| workload | ")
					.append(ours.name())
					.append(" msg/s | ")
					.append(artemis.name())
					.append(" msg/s | ratio ours/Artemis | ratio per round | ours CPU µs/msg | Artemis CPU µs/msg |"
							+ " CPU ratio Artemis/ours |")
					.append((before != null) ? " before msg/s | before CPU µs/msg | CPU ratio before/ours |" : "")
					.append("\n|---|---:|---:|---:|---|---:|---:|---:|")
					.append((before != null) ? "---:|---:|---:|" : "")
					.append('\n');
				if (selected.contains("a")) {
					throughputRow("(a) queue, 1 producer -> 1 consumer, ack=auto", ours, artemis, before,
							"/queue/bench-a", 1, "auto", messages);
				}
				if (selected.contains("b")) {
					throughputRow("(b) queue, 1 producer -> 1 consumer, ack=client-individual", ours, artemis, before,
							"/queue/bench-b", 1, "client-individual", messages);
				}
				if (selected.contains("c")) {
					throughputRow("(c) topic, 1 producer -> 10 subscribers, ack=auto (deliveries)", ours, artemis,
							before, "/topic/bench-c", 10, "auto", fanOutMessages);
				}
				if (selected.contains("f")) {
					throughputRow("(f) topic, 1 producer -> 100 subscribers, ack=auto (deliveries)", ours, artemis,
							before, "/topic/bench-f", 100, "auto", intOption("fanout100-messages", 10_000));
				}
				this.report.append('\n');
				if (!this.allocationRows.isEmpty()) {
					this.report
						.append("Heap allocated per message in the broker's JVM (ThreadMXBean "
								+ "getThreadAllocatedBytes summed over its threads), median of the rounds:\n\n")
						.append((before != null)
								? "| workload | ours B/msg | Artemis B/msg | before B/msg |\n|---|---:|---:|---:|\n"
								: "| workload | ours B/msg | Artemis B/msg |\n|---|---:|---:|\n")
						.append(this.allocationRows)
						.append('\n');
					this.allocationRows.setLength(0);
				}
			}
			if (selected.contains("d")) {
				latency(brokers);
			}
			if (selected.contains("idle")) {
				idleConnections(brokers);
			}
		}
	}

	/**
	 * (p) Persistent 1 KiB messages, produced (RECEIPT every 1,000) then drained
	 * (client-individual ACKs, RECEIPT every 1,000), on this engine with each candidate
	 * store and both fsync settings, side by side with Artemis with persistence on (its
	 * default journal, sync on).
	 */
	private void persistence(Path workDir) throws Exception {
		int messages = intOption("persistent-messages", 50_000);
		int bodySize = intOption("persistent-body", 1024);
		long limit = TimeUnit.SECONDS.toNanos(intOption("persistent-seconds", 120));
		List<TcpBroker.StoreKind> kinds = new ArrayList<>();
		for (String kind : this.options.getOrDefault("stores", "journal,mvstore").split(",")) {
			kinds.add(TcpBroker.StoreKind.valueOf(kind.trim().toUpperCase(Locale.ROOT)));
		}
		this.report.append("## (p) Persistent messages: produce, then drain\n\n")
			.append(String.format(Locale.ROOT, "%,d persistent messages of %,d bytes into an empty queue: one producer "
					+ "pipelining SENDs with a RECEIPT every %,d (at most 10,000 messages un-receipted), then one "
					+ "consumer draining with client-individual ACKs, a RECEIPT every %,d ACKs. Rate = messages / time "
					+ "until the last RECEIPT. Medians of %d rounds (per-round values in brackets); ratio vs "
					+ "Artemis with persistence on (default journal settings, durable sends synced).%n%n", messages,
					bodySize, PersistenceWorkloads.RECEIPT_EVERY, PersistenceWorkloads.RECEIPT_EVERY, this.rounds))
			.append("| broker | produce msg/s | drain msg/s | produce vs Artemis | drain vs Artemis |\n")
			.append("|---|---:|---:|---:|---:|\n");
		List<TcpBroker> brokers = new ArrayList<>();
		try {
			brokers.add(TcpBroker.artemisPersistent(workDir.resolve("artemis-" + System.nanoTime())));
			for (boolean fsync : List.of(true, false)) {
				for (TcpBroker.StoreKind kind : kinds) {
					brokers.add(TcpBroker.oursPersistent(kind,
							workDir.resolve(kind + "-" + fsync + "-" + System.nanoTime()), fsync));
				}
			}
			for (TcpBroker broker : brokers) {
				PersistenceWorkloads.ProduceDrain warmUp = PersistenceWorkloads.produceThenDrain(broker,
						"/queue/bench-p-" + this.destinationSequence.incrementAndGet(),
						Math.max(1, messages / 4 / PersistenceWorkloads.RECEIPT_EVERY)
								* PersistenceWorkloads.RECEIPT_EVERY,
						bodySize, true, 0, limit);
				log(String.format(Locale.ROOT, "(p) warm-up %-60s produce %,10.0f drain %,10.0f%s", broker.name(),
						warmUp.producePerSecond(), warmUp.drainPerSecond(),
						(warmUp.error() != null) ? "  ERROR " + warmUp.error() : ""));
			}
			Map<TcpBroker, double[]> produce = new LinkedHashMap<>();
			Map<TcpBroker, double[]> drain = new LinkedHashMap<>();
			Map<TcpBroker, String> errors = new LinkedHashMap<>();
			for (TcpBroker broker : brokers) {
				produce.put(broker, new double[this.rounds]);
				drain.put(broker, new double[this.rounds]);
			}
			for (int round = 0; round < this.rounds; round++) {
				List<TcpBroker> order = new ArrayList<>(brokers);
				if (round % 2 == 1) {
					java.util.Collections.reverse(order);
				}
				for (TcpBroker broker : order) {
					PersistenceWorkloads.ProduceDrain result = PersistenceWorkloads.produceThenDrain(broker,
							"/queue/bench-p-" + this.destinationSequence.incrementAndGet(), messages, bodySize, true, 0,
							limit);
					produce.get(broker)[round] = result.producePerSecond();
					drain.get(broker)[round] = result.drainPerSecond();
					if (result.error() != null) {
						errors.merge(broker, result.error(), (a, b) -> a + "; " + b);
					}
					log(String.format(Locale.ROOT, "(p) round %d %-60s produce %,10.0f drain %,10.0f%s", round + 1,
							broker.name(), result.producePerSecond(), result.drainPerSecond(),
							(result.error() != null) ? "  ERROR " + result.error() : ""));
				}
			}
			TcpBroker artemis = brokers.get(0);
			double artemisProduce = median(produce.get(artemis));
			double artemisDrain = median(drain.get(artemis));
			for (TcpBroker broker : brokers) {
				double p = median(produce.get(broker));
				double d = median(drain.get(broker));
				this.report.append(String.format(Locale.ROOT, "| %s | %,.0f %s | %,.0f %s | **%.2f** | **%.2f** |%s%n",
						broker.name(), p, spread(produce.get(broker)), d, spread(drain.get(broker)), p / artemisProduce,
						d / artemisDrain, errors.containsKey(broker) ? " errors: " + errors.get(broker) : ""));
			}
		}
		finally {
			for (TcpBroker broker : brokers) {
				broker.close();
			}
		}
		this.report.append('\n');
	}

	/**
	 * (depth) Whether a persistent message costs more as the queue grows: messages
	 * produced into one queue with no consumer, the rate of each tenth reported; then the
	 * broker stops and a new one on the same store recovers them all (the restart time),
	 * and drains them.
	 */
	private void depth(Path workDir) throws Exception {
		int messages = intOption("depth-messages", 1_000_000);
		int bodySize = intOption("depth-body", 1024);
		boolean fsync = Boolean.parseBoolean(this.options.getOrDefault("depth-fsync", "false"));
		long limit = TimeUnit.SECONDS.toNanos(intOption("depth-seconds", 600));
		this.report.append("## (depth) Cost per message vs queue depth, and restart time\n\n")
			.append(String.format(Locale.ROOT, "%,d persistent messages of %,d bytes produced into one queue with no "
					+ "consumer (RECEIPT every 1,000, fsync=%s); msg/s of each consecutive tenth. Then the broker stops, "
					+ "a new one recovers the queue from the store (restart = store open + recovery, until it accepts "
					+ "connections), and the queue is drained.%n%n", messages, bodySize, fsync))
			.append("| store | first tenth msg/s | last tenth msg/s | every tenth | restart s | store on disk | drain msg/s |\n")
			.append("|---|---:|---:|---|---:|---:|---:|\n");
		for (String kindName : this.options.getOrDefault("stores", "journal,mvstore").split(",")) {
			TcpBroker.StoreKind kind = TcpBroker.StoreKind.valueOf(kindName.trim().toUpperCase(Locale.ROOT));
			Path storeDir = workDir.resolve("depth-" + kind + "-" + System.nanoTime());
			PersistenceWorkloads.ProduceDrain produced;
			try (TcpBroker broker = TcpBroker.oursPersistent(kind, storeDir, fsync)) {
				produced = PersistenceWorkloads.produceThenDrain(broker, "/queue/bench-depth", messages, bodySize,
						false, messages / 10, limit);
			}
			log(String.format(Locale.ROOT, "(depth) %s produced: %s%s", kind, spread(produced.sliceRates()),
					(produced.error() != null) ? "  ERROR " + produced.error() : ""));
			long size = directorySize(storeDir);
			System.gc();
			long start = System.nanoTime();
			double restartSeconds;
			double drainRate;
			try (TcpBroker broker = TcpBroker.oursPersistent(kind, storeDir, fsync)) {
				restartSeconds = (System.nanoTime() - start) / 1e9;
				log(String.format(Locale.ROOT, "(depth) %s restarted in %.2f s", kind, restartSeconds));
				drainRate = PersistenceWorkloads.drain(broker, "/queue/bench-depth", messages, limit).drainPerSecond();
			}
			double[] slices = produced.sliceRates();
			this.report.append(String.format(Locale.ROOT,
					"| %s fsync=%s | %,.0f | %,.0f | %s | %.2f | %,d MB | %,.0f |%s%n", kind.label, fsync, slices[0],
					slices[slices.length - 1], spread(slices), restartSeconds, size / (1024 * 1024), drainRate,
					(produced.error() != null) ? " errors: " + produced.error() : ""));
			deleteRecursively(storeDir);
		}
		this.report.append('\n');
	}

	/**
	 * (soak) Whether the store stays bounded: persistent messages produced and
	 * acknowledged (one producer, one client-individual consumer, at once) through one
	 * queue; the store directory's size is sampled every second.
	 */
	private void soak(Path workDir) throws Exception {
		int messages = intOption("soak-messages", 2_000_000);
		boolean fsync = Boolean.parseBoolean(this.options.getOrDefault("soak-fsync", "false"));
		this.report.append("## (soak) Store size under sustained traffic\n\n")
			.append(String.format(Locale.ROOT, "%,d persistent messages of %d bytes produced and acknowledged "
					+ "(1 producer, 1 client-individual consumer at once, at most %d in flight, fsync=%s); the store "
					+ "directory's size sampled every second.%n%n", messages, TcpWorkloads.BODY_SIZE, this.window,
					fsync))
			.append("| store | msg/s | largest store size | size at the end |\n|---|---:|---:|---:|\n");
		for (String kindName : this.options.getOrDefault("stores", "journal,mvstore").split(",")) {
			TcpBroker.StoreKind kind = TcpBroker.StoreKind.valueOf(kindName.trim().toUpperCase(Locale.ROOT));
			Path storeDir = workDir.resolve("soak-" + kind + "-" + System.nanoTime());
			long[] largest = new long[1];
			java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors
				.newSingleThreadScheduledExecutor();
			sampler.scheduleAtFixedRate(() -> largest[0] = Math.max(largest[0], directorySize(storeDir)), 1, 1,
					TimeUnit.SECONDS);
			TcpWorkloads.Throughput result;
			long atEnd;
			try (TcpBroker broker = TcpBroker.ours("stomp-spring-boot " + kind.label,
					TcpBroker.deepQueues()
						.addDestinationOverride("/queue/bench-soak**", (soak) -> soak.withPersistent(true)),
					kind.open(storeDir, fsync))) {
				result = TcpWorkloads.throughput(broker, "/queue/bench-soak", 1, "client-individual", messages,
						TimeUnit.SECONDS.toNanos(intOption("soak-seconds", 900)), this.window);
				Thread.sleep(1500);
				atEnd = directorySize(storeDir);
			}
			finally {
				sampler.shutdownNow();
			}
			largest[0] = Math.max(largest[0], atEnd);
			log(String.format(Locale.ROOT, "(soak) %s %,d messages at %,.0f msg/s, largest %,d bytes, at end %,d%s",
					kind, result.received(), result.perSecond(), largest[0], atEnd,
					(result.error() != null) ? "  ERROR " + result.error() : ""));
			this.report.append(String.format(Locale.ROOT, "| %s fsync=%s | %,.0f | %,.1f MB | %,.1f MB |%s%n",
					kind.label, fsync, result.perSecond(), largest[0] / 1048576.0, atEnd / 1048576.0,
					(result.error() != null) ? " errors: " + result.error() : ""));
			deleteRecursively(storeDir);
		}
		this.report.append('\n');
	}

	private static long directorySize(Path directory) {
		try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).mapToLong((file) -> file.toFile().length()).sum();
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			return 0;
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	private static String spread(double[] values) {
		StringBuilder text = new StringBuilder("[");
		for (int i = 0; i < values.length; i++) {
			text.append((i > 0) ? ", " : "").append(String.format(Locale.ROOT, "%,.0f", values[i]));
		}
		return text.append(']').toString();
	}

	/** One broker's figures over the rounds of one workload. */
	private final class Rounds {

		final double[] rates = new double[StompBenchmark.this.rounds];

		final double[] cpu = new double[StompBenchmark.this.rounds];

		final double[] allocated = new double[StompBenchmark.this.rounds];

	}

	private void throughputRow(String workload, TcpBroker ours, TcpBroker artemis, String destination, int subscribers,
			String ackMode, int messages) throws Exception {
		throughputRow(workload, ours, artemis, null, destination, subscribers, ackMode, messages);
	}

	/**
	 * One workload on each broker, rounds rotating which goes first; {@code before} (this
	 * engine at an earlier commit, or null) gets columns of its own at the row's end.
	 */
	private void throughputRow(String workload, TcpBroker ours, TcpBroker artemis, TcpBroker before, String destination,
			int subscribers, String ackMode, int messages) throws Exception {
		log(workload);
		List<TcpBroker> contenders = new ArrayList<>(List.of(ours, artemis));
		if (before != null) {
			contenders.add(before);
		}
		Map<TcpBroker, Rounds> measured = new LinkedHashMap<>();
		// Warm-ups until the JIT has compiled the hot path: a broker's first runs also
		// pay
		// for its compilation, which is not a cost per message.
		for (int warmUp = 0; warmUp < intOption("warm-ups", 2); warmUp++) {
			for (TcpBroker broker : contenders) {
				TcpWorkloads.Throughput result = throughput(broker, destination, subscribers, ackMode, messages);
				log(String.format(Locale.ROOT, "  warm-up %-40s %,12.0f msg/s  %6.2f CPU µs/msg", broker.name(),
						result.perSecond(), result.cpuMicrosPerMessage()));
			}
		}
		for (TcpBroker broker : contenders) {
			measured.put(broker, new Rounds());
		}
		String problems = "";
		for (int round = 0; round < this.rounds; round++) {
			List<TcpBroker> order = new ArrayList<>(contenders);
			java.util.Collections.rotate(order, -round);
			for (TcpBroker broker : order) {
				TcpWorkloads.Throughput result = throughput(broker, destination, subscribers, ackMode, messages);
				Rounds figures = measured.get(broker);
				figures.rates[round] = result.perSecond();
				figures.cpu[round] = result.cpuMicrosPerMessage();
				figures.allocated[round] = result.allocatedBytesPerMessage();
				log(String.format(Locale.ROOT,
						"  round %d %-40s %,12.0f msg/s  (%,d received in %.2f s)  %6.2f CPU µs/msg (%.2f kernel)  %,6.0f B/msg  %d GCs  JIT %d ms%s",
						round + 1, broker.name(), result.perSecond(), result.received(), result.nanos() / 1e9,
						result.cpuMicrosPerMessage(), result.systemMicrosPerMessage(),
						result.allocatedBytesPerMessage(), result.gcCount(), result.jitMillis(),
						(result.error() != null) ? "  ERROR " + result.error() : ""));
				if (result.error() != null) {
					problems += " " + broker.name() + ": " + result.error();
				}
			}
		}
		Rounds after = measured.get(ours);
		Rounds other = measured.get(artemis);
		String beforeCells = "";
		String beforeAllocated = "";
		if (before != null) {
			Rounds earlier = measured.get(before);
			beforeCells = String.format(Locale.ROOT, " %,.0f | %s | **%.2f** |", median(earlier.rates),
					cpuCell(earlier.cpu), median(earlier.cpu) / median(after.cpu));
			beforeAllocated = String.format(Locale.ROOT, " %,.0f |", median(earlier.allocated));
		}
		row(workload, after.rates, other.rates, problems, after.cpu, other.cpu, beforeCells);
		this.allocationRows.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f |%s%n", workload,
				median(after.allocated), median(other.allocated), beforeAllocated));
	}

	/**
	 * (ops) The broker as a Boot application with Actuator, the Prometheus registry and
	 * the stomp.broker.* meters (scraped every second) vs the same application without
	 * Actuator.
	 */
	private void operations() throws Exception {
		int messages = intOption("messages", 200_000);
		int fanOutMessages = intOption("fanout-messages", 50_000);
		List<String> jvmArgs = brokerJvmArgs();
		try (TcpBroker observed = OperationsWorkloads.observed(jvmArgs);
				TcpBroker plain = OperationsWorkloads.plain(jvmArgs)) {
			log("Operations: " + observed.name() + " on " + observed.port() + ", " + plain.name() + " on "
					+ plain.port());
			this.report.append("## (ops) Cost of operations: Actuator + Prometheus on vs off\n\n")
				.append("The broker as a Boot application, each in a JVM of its own with this one's heap and GC, over "
						+ "loopback TCP, same load client: with "
						+ "Actuator, micrometer-registry-prometheus, the stomp.broker.* meters, health and endpoint, "
						+ "/actuator/prometheus scraped every second from this JVM; and with only the broker's "
						+ "auto-configuration. "
						+ "The engine's LongAdder counters are in both. Target: ratio within 3% of 1.\n\n")
				.append("| workload | ")
				.append(observed.name())
				.append(" msg/s | ")
				.append(plain.name())
				.append(" msg/s | ratio on/off | ratio per round | CPU µs/msg on | CPU µs/msg off | CPU ratio |\n")
				.append("|---|---:|---:|---:|---|---:|---:|---:|\n");
			throughputRow("queue, 1 producer -> 1 consumer, ack=auto", observed, plain, "/queue/bench-ops", 1, "auto",
					messages);
			throughputRow("topic, 1 producer -> 10 subscribers, ack=auto (deliveries)", observed, plain,
					"/topic/bench-ops", 10, "auto", fanOutMessages);
			this.report.append('\n');
		}
	}

	/**
	 * The forked brokers get this JVM's heap and GC settings, not its agents or debug
	 * options.
	 */
	private static List<String> brokerJvmArgs() {
		return ManagementFactory.getRuntimeMXBean()
			.getInputArguments()
			.stream()
			.filter((arg) -> arg.startsWith("-Xm") || arg.startsWith("-XX:+Use") || arg.startsWith("-Dlogback"))
			.toList();
	}

	/**
	 * With {@code --broker-jfr
	 *
	<dir>
	 * }, the broker's JVM records a JFR profile into {@code
	 *
	<dir>
	 * /<label>.jfr}, written when it exits.
	 */
	private List<String> withRecording(List<String> jvmArgs, String label) throws IOException {
		String directory = this.options.get("broker-jfr");
		if (directory == null) {
			return jvmArgs;
		}
		Path file = Path.of(directory).toAbsolutePath().resolve(label + ".jfr");
		Files.createDirectories(file.getParent());
		List<String> recording = new ArrayList<>(jvmArgs);
		recording.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + file);
		return recording;
	}

	private TcpWorkloads.Throughput throughput(TcpBroker broker, String destination, int subscribers, String ackMode,
			int messages) throws Exception {
		return TcpWorkloads.throughput(broker, destination + "-" + this.destinationSequence.incrementAndGet(),
				subscribers, ackMode, messages, this.limitNanos, this.window);
	}

	private void row(String workload, double[] ours, double[] other, String problems) {
		row(workload, ours, other, problems, null, null, "");
	}

	/**
	 * A ratio row, with each broker's CPU per message when measured and any further
	 * cells.
	 */
	private void row(String workload, double[] ours, double[] other, String problems, double[] oursCpu,
			double[] otherCpu, String moreCells) {
		double[] ratios = new double[ours.length];
		for (int i = 0; i < ours.length; i++) {
			ratios[i] = ours[i] / other[i];
		}
		Arrays.sort(ratios);
		String cpu = "";
		if (oursCpu != null) {
			cpu = String.format(Locale.ROOT, " %s | %s | %s |", cpuCell(oursCpu), cpuCell(otherCpu),
					Double.isNaN(median(oursCpu)) ? "-"
							: String.format(Locale.ROOT, "%.2f", median(otherCpu) / median(oursCpu)));
		}
		this.report.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | **%.2f** | %.2f - %.2f |%s%s%s%n",
				workload, median(ours), median(other), median(ours) / median(other), ratios[0],
				ratios[ratios.length - 1], cpu, moreCells, problems.isEmpty() ? "" : " errors:" + problems));
	}

	private static String cpuCell(double[] micros) {
		if (Double.isNaN(median(micros))) {
			return "-";
		}
		StringBuilder cell = new StringBuilder(String.format(Locale.ROOT, "**%.2f** [", median(micros)));
		for (int i = 0; i < micros.length; i++) {
			cell.append((i > 0) ? ", " : "").append(String.format(Locale.ROOT, "%.2f", micros[i]));
		}
		return cell.append(']').toString();
	}

	private void latency(List<? extends TcpBroker> brokers) throws Exception {
		int rate = intOption("latency-rate", 5000);
		int messages = intOption("latency-messages", 20_000);
		log("(d) latency at " + rate + " msg/s");
		this.report.append(String.format(Locale.ROOT,
				"### (d) Latency SEND -> MESSAGE, queue, 1 producer at a fixed %,d msg/s -> 1 consumer, ack=auto%n%n"
						+ "Measured from when each message was due to be sent to when the consumer parsed it, "
						+ "%,d messages per broker after a warm-up, all rounds pooled.%n%n",
				rate, messages));
		this.report.append("| broker | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | received |\n")
			.append("|---|---:|---:|---:|---:|---:|---:|\n");
		Map<TcpBroker, List<long[]>> runs = new LinkedHashMap<>();
		for (TcpBroker broker : brokers) {
			TcpWorkloads.latency(broker, "/queue/bench-d-" + this.destinationSequence.incrementAndGet(), rate,
					messages / 2, this.limitNanos);
			runs.put(broker, new ArrayList<>());
		}
		String problems = "";
		for (int round = 0; round < this.rounds; round++) {
			List<TcpBroker> order = new ArrayList<>(brokers);
			java.util.Collections.rotate(order, -round);
			for (TcpBroker broker : order) {
				TcpWorkloads.Latency result = TcpWorkloads.latency(broker,
						"/queue/bench-d-" + this.destinationSequence.incrementAndGet(), rate, messages,
						this.limitNanos);
				log(String.format(Locale.ROOT, "  round %d %-28s p50 %8.1f µs  p99 %8.1f µs%s", round + 1,
						broker.name(), result.percentileMicros(50), result.percentileMicros(99),
						(result.error() != null) ? "  ERROR " + result.error() : ""));
				runs.get(broker).add(result.sorted());
				if (result.error() != null) {
					problems += " " + broker.name() + ": " + result.error();
				}
			}
		}
		for (Map.Entry<TcpBroker, List<long[]>> entry : runs.entrySet()) {
			long[] pooled = entry.getValue().stream().flatMapToLong(Arrays::stream).sorted().toArray();
			TcpWorkloads.Latency all = new TcpWorkloads.Latency(pooled, null);
			this.report.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %,d |%n",
					entry.getKey().name(), all.percentileMicros(50), all.percentileMicros(90), all.percentileMicros(99),
					all.percentileMicros(99.9), all.percentileMicros(100), pooled.length));
		}
		if (!problems.isEmpty()) {
			this.report.append("\nErrors:").append(problems).append('\n');
		}
		this.report.append('\n');
	}

	/**
	 * Heap per idle connection in each broker's own JVM, as the median of rounds.
	 */
	private void idleConnections(List<ForkedBroker> brokers) throws Exception {
		int connections = intOption("idle-connections", 2_000);
		log("(idle) heap per idle connection, " + connections + " connections");
		Map<ForkedBroker, double[]> bytes = new LinkedHashMap<>();
		for (ForkedBroker broker : brokers) {
			TcpWorkloads.idleConnectionBytes(broker, connections / 4);
			bytes.put(broker, new double[this.rounds]);
		}
		for (int round = 0; round < this.rounds; round++) {
			for (ForkedBroker broker : brokers) {
				bytes.get(broker)[round] = TcpWorkloads.idleConnectionBytes(broker, connections);
				log(String.format(Locale.ROOT, "  round %d %-40s %,.0f B", round + 1, broker.name(),
						bytes.get(broker)[round]));
			}
		}
		this.report
			.append(String.format(Locale.ROOT,
					"### (idle) Heap per idle connection%n%n%,d loopback sockets, each "
							+ "CONNECTed (1.2, no heart-beats) and left open; the broker's JVM's heap used after full "
							+ "collections with them open minus before, per connection (the broker's end of the socket "
							+ "included); medians of %d rounds [per round].%n%n",
					connections, this.rounds))
			.append("| broker | heap per idle connection |\n|---|---:|\n");
		for (Map.Entry<ForkedBroker, double[]> entry : bytes.entrySet()) {
			this.report.append(String.format(Locale.ROOT, "| %s | %,.0f bytes %s |%n", entry.getKey().name(),
					median(entry.getValue()), spread(entry.getValue())));
		}
		this.report.append('\n');
	}

	private void inJvm() {
		int deliveries = intOption("injvm-deliveries", 1_000_000);
		this.report.append("## In the JVM: the engine vs Spring's SimpleBrokerMessageHandler\n\n")
			.append("Spring's simple broker has no TCP side, so both are fed in the JVM by one thread, no transport: "
					+ "a publish to a topic, and each subscriber's outbound message counted where a transport would "
					+ "take it. Not comparable with the TCP figures above. deliveries/s = messages x subscribers.\n\n")
			.append("| workload | engine deliveries/s | simple broker deliveries/s | ratio engine/simple | ratio per round |\n")
			.append("|---|---:|---:|---:|---|\n");
		for (int subscribers : new int[] { 1, 10, 100 }) {
			String workload = "topic, 1 publisher -> " + subscribers + " subscriber" + ((subscribers > 1) ? "s" : "");
			log("in-JVM " + workload);
			int messages = deliveries / subscribers;
			Supplier<InJvmWorkloads.InJvmBroker> ours = InJvmWorkloads::ours;
			Supplier<InJvmWorkloads.InJvmBroker> simple = InJvmWorkloads::simple;
			for (Supplier<InJvmWorkloads.InJvmBroker> broker : List.of(ours, simple)) {
				fanOut(broker, subscribers, messages);
			}
			double[] oursRates = new double[this.rounds];
			double[] simpleRates = new double[this.rounds];
			for (int round = 0; round < this.rounds; round++) {
				boolean oursFirst = round % 2 == 0;
				for (Supplier<InJvmWorkloads.InJvmBroker> broker : oursFirst ? List.of(ours, simple)
						: List.of(simple, ours)) {
					double rate = fanOut(broker, subscribers, messages);
					((broker == ours) ? oursRates : simpleRates)[round] = rate;
					log(String.format(Locale.ROOT, "  round %d %-14s %,12.0f deliveries/s", round + 1,
							(broker == ours) ? "engine" : "simple broker", rate));
				}
			}
			row(workload, oursRates, simpleRates, "");
		}
		this.report.append('\n');
	}

	private double fanOut(Supplier<InJvmWorkloads.InJvmBroker> factory, int subscribers, int messages) {
		try (InJvmWorkloads.InJvmBroker broker = factory.get()) {
			return InJvmWorkloads.fanOut(broker, "/topic/injvm", subscribers, messages, this.limitNanos);
		}
	}

	/**
	 * (4) Browser sessions over WebSocket: the starter vs the same application on
	 * Spring's simple broker, both running in this JVM, driven by Spring's
	 * WebSocketStompClient.
	 */
	private void webSocket() throws Exception {
		int roundTrips = intOption("ws-roundtrips", 5_000);
		int subscribers = intOption("ws-subscribers", 100);
		int messages = intOption("ws-broadcast-messages", 2_000);
		int window = intOption("ws-window", 50);
		try (WebSocketWorkloads.App ours = WebSocketWorkloads.starter();
				WebSocketWorkloads.App simple = WebSocketWorkloads.simpleBroker()) {
			log("WebSocket apps up: " + ours.name() + " at " + ours.url() + ", " + simple.name() + " at "
					+ simple.url());
			this.report.append("## WebSocket: the starter vs the same app on Spring's simple broker\n\n")
				.append(String.format(Locale.ROOT,
						"One Boot application (an @MessageMapping echo controller) started twice in this JVM on "
								+ "127.0.0.1: with the starter (Spring's StompBrokerRelayMessageHandler to the embedded "
								+ "engine through InJvmTcpClient) and with enableSimpleBroker (same endpoint, prefixes "
								+ "and ordering options). Clients: Spring's WebSocketStompClient over "
								+ "StandardWebSocketClient. Round trip: one session SENDs %d-byte bodies to /app/echo "
								+ "and waits for the reply on /topic/echo before the next, %,d per run. Broadcast: "
								+ "SimpMessagingTemplate.convertAndSend to a topic with %d WebSocket sessions "
								+ "subscribed, %,d messages per run, at most %d ahead of the receivers.%n%n",
						TcpWorkloads.BODY_SIZE, roundTrips, subscribers, messages, window))
				.append("| workload | starter | simple broker | ratio starter/simple | ratio per round |\n")
				.append("|---|---:|---:|---:|---|\n");
			List<WebSocketWorkloads.App> apps = List.of(ours, simple);
			log("WebSocket round trips");
			for (WebSocketWorkloads.App app : apps) {
				WebSocketWorkloads.RoundTrips warm = WebSocketWorkloads.roundTrips(app, roundTrips, this.limitNanos);
				log(String.format(Locale.ROOT, "  warm-up %-20s %,10.0f round trips/s%s", app.name(), warm.perSecond(),
						(warm.error() != null) ? "  ERROR " + warm.error() : ""));
			}
			double[] oursRates = new double[this.rounds];
			double[] simpleRates = new double[this.rounds];
			double[] oursP50 = new double[this.rounds];
			double[] simpleP50 = new double[this.rounds];
			String problems = "";
			for (int round = 0; round < this.rounds; round++) {
				for (WebSocketWorkloads.App app : (round % 2 == 0) ? apps : List.of(simple, ours)) {
					WebSocketWorkloads.RoundTrips result = WebSocketWorkloads.roundTrips(app, roundTrips,
							this.limitNanos);
					((app == ours) ? oursRates : simpleRates)[round] = result.perSecond();
					((app == ours) ? oursP50 : simpleP50)[round] = result.percentileMicros(50);
					log(String.format(Locale.ROOT,
							"  round %d %-20s %,10.0f round trips/s  p50 %8.1f µs  p99 %8.1f µs%s", round + 1,
							app.name(), result.perSecond(), result.percentileMicros(50), result.percentileMicros(99),
							(result.error() != null) ? "  ERROR " + result.error() : ""));
					if (result.error() != null) {
						problems += " " + app.name() + ": " + result.error();
					}
				}
			}
			row("@MessageMapping round trip, 1 session (round trips/s)", oursRates, simpleRates, problems);
			// Lower is better for latency: the ratio column stays ours/simple.
			row("@MessageMapping round trip, p50 latency (µs)", oursP50, simpleP50, "");
			String workload = "broadcast to " + subscribers + " WebSocket subscribers (deliveries/s)";
			log("WebSocket " + workload);
			for (WebSocketWorkloads.App app : apps) {
				WebSocketWorkloads.Broadcast warm = WebSocketWorkloads.broadcast(app, "/topic/x-warm", subscribers,
						messages, window, this.limitNanos);
				log(String.format(Locale.ROOT, "  warm-up %-20s %,10.0f deliveries/s%s", app.name(), warm.perSecond(),
						(warm.error() != null) ? "  ERROR " + warm.error() : ""));
			}
			oursRates = new double[this.rounds];
			simpleRates = new double[this.rounds];
			problems = "";
			for (int round = 0; round < this.rounds; round++) {
				for (WebSocketWorkloads.App app : (round % 2 == 0) ? apps : List.of(simple, ours)) {
					WebSocketWorkloads.Broadcast result = WebSocketWorkloads.broadcast(app,
							"/topic/x-" + this.destinationSequence.incrementAndGet(), subscribers, messages, window,
							this.limitNanos);
					((app == ours) ? oursRates : simpleRates)[round] = result.perSecond();
					log(String.format(Locale.ROOT, "  round %d %-20s %,10.0f deliveries/s  (%,d in %.2f s)%s",
							round + 1, app.name(), result.perSecond(), result.received(), result.nanos() / 1e9,
							(result.error() != null) ? "  ERROR " + result.error() : ""));
					if (result.error() != null) {
						problems += " " + app.name() + ": " + result.error();
					}
				}
			}
			row(workload, oursRates, simpleRates, problems);
			this.report.append('\n');
		}
	}

	/**
	 * (5) Browsers through the servlet endpoint (Spring's relay, in-JVM link) next to
	 * browsers straight to the broker's TCP port (Netty WebSocket), in one application,
	 * one run each.
	 */
	private void brokerPortWebSocket() throws Exception {
		int subscribers = intOption("ws-subscribers", 100);
		int messages = intOption("ws-broadcast-messages", 2_000);
		int window = intOption("ws-window", 50);
		try (WebSocketWorkloads.App app = WebSocketWorkloads.starterWithBrokerPort()) {
			this.report.append("## WebSocket: the servlet endpoint vs the broker's own port\n\n")
				.append(String.format(Locale.ROOT,
						"One application with the starter; SimpMessagingTemplate.convertAndSend to a topic with %d "
								+ "WebSocket sessions subscribed, %,d messages of %d bytes, at most %d ahead of the "
								+ "receivers; the sessions connected to %s or to %s. One run each after a warm-up.%n%n",
						subscribers, messages, TcpWorkloads.BODY_SIZE, window, app.url(), app.brokerPortUrl()))
				.append("| subscribers connected to | deliveries/s | received | seconds |\n|---|---:|---:|---:|\n");
			for (String url : List.of(app.url(), app.brokerPortUrl())) {
				WebSocketWorkloads.broadcast(app, url, "/topic/port-warm-" + this.destinationSequence.incrementAndGet(),
						subscribers, messages, window, this.limitNanos);
			}
			for (String url : List.of(app.url(), app.brokerPortUrl())) {
				WebSocketWorkloads.Broadcast result = WebSocketWorkloads.broadcast(app, url,
						"/topic/port-" + this.destinationSequence.incrementAndGet(), subscribers, messages, window,
						this.limitNanos);
				String where = url.equals(app.url()) ? "servlet endpoint " + url : "broker port " + url;
				log(String.format(Locale.ROOT, "  %-50s %,10.0f deliveries/s  (%,d in %.2f s)%s", where,
						result.perSecond(), result.received(), result.nanos() / 1e9,
						(result.error() != null) ? "  ERROR " + result.error() : ""));
				this.report.append(String.format(Locale.ROOT, "| %s | %,.0f | %,d | %.2f |%s%n", where,
						result.perSecond(), result.received(), result.nanos() / 1e9,
						(result.error() != null) ? " ERROR " + result.error() : ""));
			}
			this.report.append('\n');
		}
	}

	/**
	 * (5) The same @MessageMapping controller called by a TCP client (through the bridge
	 * into Spring's client inbound channel) and by a browser over WebSocket, one
	 * application.
	 */
	private void tcpApplication() throws Exception {
		int roundTrips = intOption("ws-roundtrips", 5_000);
		try (WebSocketWorkloads.App app = WebSocketWorkloads.starterWithTcp()) {
			log("Application up: WebSocket at " + app.url() + ", TCP on " + app.tcpPort());
			this.report.append(
					"## TCP clients in the application: a TCP client's @MessageMapping round trip vs a browser's\n\n")
				.append(String.format(Locale.ROOT,
						"One Boot application with the starter (embedded broker, TCP listener on) and an @MessageMapping "
								+ "echo controller replying on /topic/echo. TCP: a raw loopback socket SENDs %d-byte "
								+ "bodies to /app/echo (into Spring's client inbound channel through the TCP bridge) and "
								+ "waits for the MESSAGE on /topic/echo before the next. Browser: Spring's "
								+ "WebSocketStompClient does the same over WebSocket. %,d per run.%n%n",
						TcpWorkloads.BODY_SIZE, roundTrips))
				.append("| workload | TCP client | browser (WebSocket) | ratio TCP/browser | ratio per round |\n")
				.append("|---|---:|---:|---:|---|\n");
			for (int warm = 0; warm < 2; warm++) {
				WebSocketWorkloads.RoundTrips tcp = WebSocketWorkloads.tcpRoundTrips(app, roundTrips, this.limitNanos);
				WebSocketWorkloads.RoundTrips ws = WebSocketWorkloads.roundTrips(app, roundTrips, this.limitNanos);
				log(String.format(Locale.ROOT, "  warm-up TCP %,10.0f  browser %,10.0f round trips/s%s%s",
						tcp.perSecond(), ws.perSecond(), (tcp.error() != null) ? "  TCP ERROR " + tcp.error() : "",
						(ws.error() != null) ? "  WS ERROR " + ws.error() : ""));
			}
			double[] tcpRates = new double[this.rounds];
			double[] wsRates = new double[this.rounds];
			double[] tcpP50 = new double[this.rounds];
			double[] wsP50 = new double[this.rounds];
			String problems = "";
			for (int round = 0; round < this.rounds; round++) {
				for (int turn = 0; turn < 2; turn++) {
					boolean tcpTurn = (turn == 0) == (round % 2 == 0);
					WebSocketWorkloads.RoundTrips result = tcpTurn
							? WebSocketWorkloads.tcpRoundTrips(app, roundTrips, this.limitNanos)
							: WebSocketWorkloads.roundTrips(app, roundTrips, this.limitNanos);
					(tcpTurn ? tcpRates : wsRates)[round] = result.perSecond();
					(tcpTurn ? tcpP50 : wsP50)[round] = result.percentileMicros(50);
					log(String.format(Locale.ROOT,
							"  round %d %-8s %,10.0f round trips/s  p50 %8.1f µs  p99 %8.1f µs%s", round + 1,
							tcpTurn ? "TCP" : "browser", result.perSecond(), result.percentileMicros(50),
							result.percentileMicros(99), (result.error() != null) ? "  ERROR " + result.error() : ""));
					if (result.error() != null) {
						problems += (tcpTurn ? " TCP: " : " browser: ") + result.error();
					}
				}
			}
			row("@MessageMapping round trip, 1 session (round trips/s)", tcpRates, wsRates, problems);
			row("@MessageMapping round trip, p50 latency (µs)", tcpP50, wsP50, "");
			this.report.append('\n');
		}
		bridgeOverhead(roundTrips);
	}

	/** A TCP client's round trip through a broker topic, with and without the bridge. */
	private void bridgeOverhead(int roundTrips) throws Exception {
		try (WebSocketWorkloads.App on = WebSocketWorkloads.starterWithTcp(true);
				WebSocketWorkloads.App off = WebSocketWorkloads.starterWithTcp(false)) {
			this.report
				.append(String.format(Locale.ROOT,
						"A TCP client's round trip to itself through a broker topic "
								+ "(SEND /topic/direct, its own MESSAGE back), %,d per run, the bridge on and off "
								+ "(stomp.websocket.tcp-clients.enabled): the broker path the bridge leaves alone.%n%n",
						roundTrips))
				.append("| workload | bridge on | bridge off | ratio on/off | ratio per round |\n")
				.append("|---|---:|---:|---:|---|\n");
			List<WebSocketWorkloads.App> apps = List.of(on, off);
			for (WebSocketWorkloads.App app : apps) {
				WebSocketWorkloads.tcpBrokerRoundTrips(app, roundTrips, this.limitNanos);
			}
			double[] onRates = new double[this.rounds];
			double[] offRates = new double[this.rounds];
			String problems = "";
			for (int round = 0; round < this.rounds; round++) {
				for (WebSocketWorkloads.App app : (round % 2 == 0) ? apps : List.of(off, on)) {
					WebSocketWorkloads.RoundTrips result = WebSocketWorkloads.tcpBrokerRoundTrips(app, roundTrips,
							this.limitNanos);
					((app == on) ? onRates : offRates)[round] = result.perSecond();
					log(String.format(Locale.ROOT, "  round %d %-14s %,10.0f round trips/s  p50 %8.1f µs%s", round + 1,
							app.name(), result.perSecond(), result.percentileMicros(50),
							(result.error() != null) ? "  ERROR " + result.error() : ""));
					if (result.error() != null) {
						problems += " " + app.name() + ": " + result.error();
					}
				}
			}
			row("TCP round trip through /topic, 1 session (round trips/s)", onRates, offRates, problems);
			this.report.append('\n');
		}
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private int intOption(String name, int defaultValue) {
		String value = this.options.get(name);
		return (value != null) ? Integer.parseInt(value.replace("_", "")) : defaultValue;
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException | RuntimeException ex) {
			return String.format(Locale.ROOT, "%.2f",
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	private static void log(String line) {
		System.out.println(line);
	}

}
