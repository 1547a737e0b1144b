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
 * Runs every contender side by side in one JVM, on the same workloads with the same client,
 * and reports ratios: (1) this project's broker and (2) ActiveMQ Artemis over loopback TCP,
 * (3) this project's engine and Spring's simple broker in the JVM, (4) the starter and Spring's
 * simple broker behind one WebSocket application. Rounds alternate which
 * broker goes first, and the median round counts, because the machine is shared and noisy.
 * <p>
 * Options (all optional): {@code --rounds 3 --messages 200000 --fanout-messages 50000
 * --seconds 10 --window 1000 --latency-rate 5000 --latency-messages 20000
 * --injvm-deliveries 1000000 --persistent-messages 20000 --ws-roundtrips 5000 --ws-subscribers 100
 * --ws-broadcast-messages 2000 --ws-window 50 --only a,b,c,d,p,injvm,websocket,ops --out target/benchmark-results.md}
 */
public final class StompBenchmark {

	private final Map<String, String> options;

	private final int rounds;

	private final long limitNanos;

	private final int window;

	private final StringBuilder report = new StringBuilder();

	private final AtomicInteger destinationSequence = new AtomicInteger();

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
		String only = this.options.getOrDefault("only", "a,b,c,d,p,injvm,websocket,ops");
		List<String> selected = Arrays.asList(only.split(","));
		if (selected.stream().anyMatch((w) -> List.of("a", "b", "c", "d").contains(w))) {
			tcp(selected, out.toAbsolutePath().getParent().resolve("artemis-work"));
		}
		if (selected.contains("p")) {
			persistence(out.toAbsolutePath().getParent().resolve("persistence-work"));
		}
		if (selected.contains("injvm")) {
			inJvm();
		}
		if (selected.contains("websocket")) {
			webSocket();
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
		try (TcpBroker ours = TcpBroker.ours(); TcpBroker artemis = TcpBroker.artemis(artemisWork)) {
			log("Brokers up: " + ours.name() + " on " + ours.port() + ", " + artemis.name() + " on "
					+ artemis.port());
			this.report.append("## Over loopback TCP: ")
				.append(ours.name())
				.append(" vs ")
				.append(artemis.name())
				.append("\n\n")
				.append("Artemis embedded in the same JVM with only a STOMP acceptor, persistence and security off.\n\n");
			if (selected.stream().anyMatch((w) -> List.of("a", "b", "c").contains(w))) {
				this.report.append("msg/s counts MESSAGE frames received by all consumers together.\n\n")
					.append("| workload | ")
					.append(ours.name())
					.append(" msg/s | ")
					.append(artemis.name())
					.append(" msg/s | ratio ours/Artemis | ratio per round |\n")
					.append("|---|---:|---:|---:|---|\n");
				if (selected.contains("a")) {
					throughputRow("(a) queue, 1 producer -> 1 consumer, ack=auto", ours, artemis, "/queue/bench-a", 1,
							"auto", messages);
				}
				if (selected.contains("b")) {
					throughputRow("(b) queue, 1 producer -> 1 consumer, ack=client-individual", ours, artemis,
							"/queue/bench-b", 1, "client-individual", messages);
				}
				if (selected.contains("c")) {
					throughputRow("(c) topic, 1 producer -> 10 subscribers, ack=auto (deliveries)", ours, artemis,
							"/topic/bench-c", 10, "auto", fanOutMessages);
				}
				this.report.append('\n');
			}
			if (selected.contains("d")) {
				latency(ours, artemis);
			}
		}
	}

	/**
	 * (p) The cost of persistence on this engine alone: the same queue workload as (a) with
	 * every message persistent in the durable MVStore store (one commit for the SEND, one for
	 * the auto-ack delete), without and with fsync, next to the in-memory engine.
	 */
	private void persistence(Path workDir) throws Exception {
		int messages = intOption("persistent-messages", 20_000);
		this.report.append("## (p) Persistent messages on stomp-spring-boot\n\n")
			.append("Queue, 1 producer -> 1 consumer, ack=auto, the destination configured persistent "
					+ "(stomp.broker.store.persistent-destinations) with the H2 MVStore store in a temp directory.\n\n")
			.append("| broker | msg/s per round | median msg/s | vs in-memory |\n|---|---|---:|---:|\n");
		double inMemory = 0;
		int sequence = 0;
		for (String mode : List.of("memory", "persistent", "persistent+fsync")) {
			Path storeDir = workDir.resolve(mode + "-" + (++sequence));
			try (TcpBroker broker = mode.equals("memory") ? TcpBroker.ours()
					: TcpBroker.oursPersistent(storeDir, mode.endsWith("fsync"))) {
				log("(p) " + broker.name());
				throughput(broker, "/queue/bench-p", 1, "auto", messages / 4);
				double[] rates = new double[this.rounds];
				StringBuilder perRound = new StringBuilder();
				for (int round = 0; round < this.rounds; round++) {
					TcpWorkloads.Throughput result = throughput(broker, "/queue/bench-p", 1, "auto", messages);
					rates[round] = result.perSecond();
					perRound.append((round > 0) ? ", " : "").append(String.format(Locale.ROOT, "%,.0f", rates[round]));
					log(String.format(Locale.ROOT, "  round %d %-36s %,12.0f msg/s%s", round + 1, broker.name(),
							rates[round], (result.error() != null) ? "  ERROR " + result.error() : ""));
				}
				double median = median(rates);
				if (mode.equals("memory")) {
					inMemory = median;
				}
				this.report.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.3f |%n", broker.name(), perRound,
						median, median / inMemory));
			}
		}
		this.report.append('\n');
	}

	private void throughputRow(String workload, TcpBroker ours, TcpBroker artemis, String destination,
			int subscribers, String ackMode, int messages) throws Exception {
		log(workload);
		for (TcpBroker broker : List.of(ours, artemis)) {
			TcpWorkloads.Throughput result = throughput(broker, destination, subscribers, ackMode, messages);
			log(String.format(Locale.ROOT, "  warm-up %-28s %,12.0f msg/s", broker.name(), result.perSecond()));
		}
		double[] oursRates = new double[this.rounds];
		double[] artemisRates = new double[this.rounds];
		String problems = "";
		for (int round = 0; round < this.rounds; round++) {
			boolean oursFirst = round % 2 == 0;
			for (TcpBroker broker : oursFirst ? List.of(ours, artemis) : List.of(artemis, ours)) {
				TcpWorkloads.Throughput result = throughput(broker, destination, subscribers, ackMode, messages);
				double rate = result.perSecond();
				((broker == ours) ? oursRates : artemisRates)[round] = rate;
				log(String.format(Locale.ROOT, "  round %d %-28s %,12.0f msg/s  (%,d received in %.2f s)%s",
						round + 1, broker.name(), rate, result.received(), result.nanos() / 1e9,
						(result.error() != null) ? "  ERROR " + result.error() : ""));
				if (result.error() != null) {
					problems += " " + broker.name() + ": " + result.error();
				}
			}
		}
		row(workload, oursRates, artemisRates, problems);
	}

	/**
	 * (ops) The broker as a Boot application with Actuator, the Prometheus registry and the
	 * stomp.broker.* meters (scraped every second) vs the same application without Actuator.
	 */
	private void operations() throws Exception {
		int messages = intOption("messages", 200_000);
		int fanOutMessages = intOption("fanout-messages", 50_000);
		// The forked brokers get this JVM's heap and GC settings, not its agents or debug options.
		List<String> jvmArgs = ManagementFactory.getRuntimeMXBean()
			.getInputArguments()
			.stream()
			.filter((arg) -> arg.startsWith("-Xm") || arg.startsWith("-XX:+Use") || arg.startsWith("-Dlogback"))
			.toList();
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
				.append(" msg/s | ratio on/off | ratio per round |\n")
				.append("|---|---:|---:|---:|---|\n");
			throughputRow("queue, 1 producer -> 1 consumer, ack=auto", observed, plain, "/queue/bench-ops", 1, "auto",
					messages);
			throughputRow("topic, 1 producer -> 10 subscribers, ack=auto (deliveries)", observed, plain,
					"/topic/bench-ops", 10, "auto", fanOutMessages);
			this.report.append('\n');
		}
	}

	private TcpWorkloads.Throughput throughput(TcpBroker broker, String destination, int subscribers,
			String ackMode, int messages) throws Exception {
		return TcpWorkloads.throughput(broker, destination + "-" + this.destinationSequence.incrementAndGet(),
				subscribers, ackMode, messages, this.limitNanos, this.window);
	}

	private void row(String workload, double[] ours, double[] other, String problems) {
		double[] ratios = new double[ours.length];
		for (int i = 0; i < ours.length; i++) {
			ratios[i] = ours[i] / other[i];
		}
		Arrays.sort(ratios);
		this.report.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | **%.2f** | %.2f - %.2f |%s%n",
				workload, median(ours), median(other), median(ours) / median(other), ratios[0],
				ratios[ratios.length - 1], problems.isEmpty() ? "" : " errors:" + problems));
	}

	private void latency(TcpBroker ours, TcpBroker artemis) throws Exception {
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
		for (TcpBroker broker : List.of(ours, artemis)) {
			TcpWorkloads.latency(broker, "/queue/bench-d-" + this.destinationSequence.incrementAndGet(), rate,
					messages / 2, this.limitNanos);
		}
		Map<TcpBroker, List<long[]>> runs = new LinkedHashMap<>();
		runs.put(ours, new ArrayList<>());
		runs.put(artemis, new ArrayList<>());
		String problems = "";
		for (int round = 0; round < this.rounds; round++) {
			for (TcpBroker broker : (round % 2 == 0) ? List.of(ours, artemis) : List.of(artemis, ours)) {
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
					entry.getKey().name(), all.percentileMicros(50), all.percentileMicros(90),
					all.percentileMicros(99), all.percentileMicros(99.9), all.percentileMicros(100), pooled.length));
		}
		if (!problems.isEmpty()) {
			this.report.append("\nErrors:").append(problems).append('\n');
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
	 * (4) Browser sessions over WebSocket: the starter vs the same application on Spring's
	 * simple broker, both running in this JVM, driven by Spring's WebSocketStompClient.
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
				log(String.format(Locale.ROOT, "  warm-up %-20s %,10.0f round trips/s%s", app.name(),
						warm.perSecond(), (warm.error() != null) ? "  ERROR " + warm.error() : ""));
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
					log(String.format(Locale.ROOT, "  round %d %-20s %,10.0f round trips/s  p50 %8.1f µs  p99 %8.1f µs%s",
							round + 1, app.name(), result.perSecond(), result.percentileMicros(50),
							result.percentileMicros(99), (result.error() != null) ? "  ERROR " + result.error() : ""));
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
			return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	private static void log(String line) {
		System.out.println(line);
	}

}
