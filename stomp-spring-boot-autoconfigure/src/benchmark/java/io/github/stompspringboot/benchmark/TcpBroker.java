package io.github.stompspringboot.benchmark;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Predicate;

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
	 * Which of this JVM's threads are the broker's own, by name, for {@link CpuMeter};
	 * {@code null} when the broker runs in another process.
	 */
	default Predicate<String> threads() {
		return null;
	}

	@Override
	void close() throws Exception;

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
			public Predicate<String> threads() {
				return (thread) -> thread.startsWith("stomp-tcp") || thread.startsWith("stomp-broker");
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
			public Predicate<String> threads() {
				return (thread) -> thread.toLowerCase(Locale.ROOT).contains("activemq");
			}

			@Override
			public void close() throws Exception {
				artemis.close();
			}

		};
	}

}
