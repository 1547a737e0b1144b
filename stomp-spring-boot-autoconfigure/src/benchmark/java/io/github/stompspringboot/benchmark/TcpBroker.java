package io.github.stompspringboot.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.support.EmbeddedArtemis;
import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.DestinationSettings;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.store.JournalMessageStore;
import io.github.stompspringboot.broker.store.MvStoreMessageStore;
import io.github.stompspringboot.transport.tcp.StompTcpServer;

/** A STOMP broker listening on a loopback port, started and stopped by the benchmark. */
interface TcpBroker extends AutoCloseable {

	String name();

	int port();

	/**
	 * Starts measuring what the broker spends, stopped by {@link Meter#stop()}; null when
	 * it cannot be measured.
	 */
	default Meter startMeter() throws IOException {
		// in the benchmark's JVM the broker's costs mix with the load client's: only a
		// broker in a JVM of its own (ForkedBroker) is measured
		return null;
	}

	@Override
	void close() throws Exception;

	/** A measure running since {@link #startMeter()}. */
	interface Meter {

		Usage stop() throws IOException;

	}

	/**
	 * What the broker spent over a measure: CPU nanos, bytes allocated, garbage
	 * collections and their milliseconds, the part of the CPU nanos spent in the kernel,
	 * and the JIT compilers' milliseconds ({@code -1} where not known).
	 */
	record Usage(long cpuNanos, long allocatedBytes, long gcCount, long gcMillis, long systemNanos, long jitMillis) {

	}

	/**
	 * This project's engine behind its Netty TCP transport, configured as the starter's
	 * defaults.
	 */
	static TcpBroker ours() {
		return ours("stomp-spring-boot", new BrokerSettings(), MessageStore.NONE);
	}

	/**
	 * The engine with every message to {@code /queue/bench-p**} persistent, kept in the
	 * durable MVStore store in the given directory.
	 */
	static TcpBroker oursPersistent(Path storeDir, boolean fsync) {
		return ours("stomp-spring-boot persistent" + (fsync ? "+fsync" : ""),
				new BrokerSettings().addDestinationOverride("/queue/bench-p**", (queue) -> queue.withPersistent(true)),
				new MvStoreMessageStore(storeDir, fsync));
	}

	/** The durable store implementations measured against each other. */
	enum StoreKind {

		MVSTORE("H2 MVStore"), JOURNAL("Artemis journal");

		final String label;

		StoreKind(String label) {
			this.label = label;
		}

		MessageStore open(Path storeDir, boolean fsync) {
			return (this == MVSTORE) ? new MvStoreMessageStore(storeDir, fsync)
					: new JournalMessageStore(storeDir, fsync);
		}

	}

	/**
	 * The engine keeping persistent messages in the given store, with queue limits high
	 * enough for the persistence workloads' deep queues.
	 */
	static TcpBroker oursPersistent(StoreKind kind, Path storeDir, boolean fsync) {
		return ours("stomp-spring-boot " + kind.label + " fsync=" + fsync, deepQueues(), kind.open(storeDir, fsync));
	}

	static BrokerSettings deepQueues() {
		return new BrokerSettings().setDestinationDefaults(
				DestinationSettings.DEFAULTS.withMaxQueueDepth(2_000_000).withMaxQueueBytes(4L * 1024 * 1024 * 1024));
	}

	static TcpBroker ours(String name, BrokerSettings settings, MessageStore store) {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				(task) -> new Thread(task, "stomp-broker-scheduler"));
		StompBroker broker = new StompBroker(settings, scheduler, store);
		StompTcpServer server = new StompTcpServer(broker, "127.0.0.1", 0, null);
		server.start();
		return new TcpBroker() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public int port() {
				return server.port();
			}

			@Override
			public void close() {
				server.stop();
				broker.shutdown();
				scheduler.shutdownNow();
				store.close();
			}

		};
	}

	/**
	 * ActiveMQ Artemis embedded with only a STOMP acceptor, persistence on with its
	 * default journal settings (durable sends synced, in batches), security off.
	 */
	static TcpBroker artemisPersistent(Path workDir) throws Exception {
		return artemis(workDir, true);
	}

	/**
	 * ActiveMQ Artemis embedded with only a STOMP acceptor: in memory (persistence off,
	 * as the engine is), security off, {@code /queue/} anycast and {@code /topic/}
	 * multicast.
	 */
	static TcpBroker artemis(Path workDir) throws Exception {
		return artemis(workDir, false);
	}

	private static TcpBroker artemis(Path workDir, boolean persistent) throws Exception {
		EmbeddedArtemis artemis = EmbeddedArtemis.start(workDir, persistent);
		String name = "Artemis " + artemis.version()
				+ (persistent ? " persistent (journal " + artemis.journalType() + ", sync)" : "");
		return new TcpBroker() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public int port() {
				return artemis.stompPort();
			}

			@Override
			public void close() throws Exception {
				artemis.close();
			}

		};
	}

}
