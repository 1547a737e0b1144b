package io.github.stompspringboot.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.store.MvStoreMessageStore;
import org.springframework.util.FileSystemUtils;

/**
 * A small harness, not a test: persistent next to non-persistent message throughput, one
 * producer and one consumer over TCP on loopback, 128-byte bodies, auto-ack (so each
 * persistent message is one store write and one store delete). Run from the repository root:
 * <pre>
 * ./mvnw -B -q -pl stomp-spring-boot-autoconfigure test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * java -cp stomp-spring-boot-autoconfigure/target/test-classes:stomp-spring-boot-autoconfigure/target/classes:$(cat stomp-spring-boot-autoconfigure/target/test-cp.txt) \
 *     io.github.stompspringboot.support.PersistenceThroughput [messages]
 * </pre>
 * Each mode runs once to warm up and is then measured; it prints messages per second.
 */
public final class PersistenceThroughput {

	private PersistenceThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int messages = (args.length > 0) ? Integer.parseInt(args[0]) : 20_000;
		Path dir = Files.createTempDirectory("stomp-throughput");
		try {
			for (String mode : new String[] { "non-persistent", "persistent", "persistent+fsync" }) {
				run(mode, messages / 4, dir.resolve(mode + "-warmup"));
				double rate = run(mode, messages, dir.resolve(mode));
				System.out.printf("%-18s %,8d msgs  %,10.0f msg/s%n", mode, messages, rate);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(dir);
		}
	}

	private static double run(String mode, int messages, Path storeDir) throws Exception {
		boolean persistent = mode.startsWith("persistent");
		MessageStore store = persistent ? new MvStoreMessageStore(storeDir, mode.endsWith("fsync"))
				: MessageStore.NONE;
		String body = "x".repeat(128);
		String frame = "SEND\ndestination:/queue/bench\n" + (persistent ? "persistent:true\n" : "") + "\n" + body
				+ "\0";
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try (EmbeddedBroker broker = EmbeddedBroker.start(store, (settings) -> {
		}); RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:b\ndestination:/queue/bench\nack:auto\nreceipt:ready\n\n\0");
			consumer.receive();
			long start = System.nanoTime();
			Future<?> received = threads.submit(() -> {
				for (int i = 0; i < messages; i++) {
					consumer.receive(java.time.Duration.ofSeconds(60));
				}
				return null;
			});
			Future<?> sent = threads.submit(() -> {
				for (int i = 0; i < messages; i++) {
					producer.send(frame);
				}
				return null;
			});
			sent.get(10, TimeUnit.MINUTES);
			received.get(10, TimeUnit.MINUTES);
			return messages / ((System.nanoTime() - start) / 1e9);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
