package io.github.stompspringboot.broker;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.stompspringboot.broker.Stomp.frame;
import static io.github.stompspringboot.broker.Stomp.message;
import static io.github.stompspringboot.broker.Stomp.sendConfirmed;
import static io.github.stompspringboot.broker.Stomp.subscribeConfirmed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue nobody consumes from and nothing waits in is reclaimed, so names used once do
 * not pile up in the broker; a queue holding messages waits for its consumers as before,
 * and a producer or subscriber racing with the reclamation loses nothing.
 */
class QueueReclamationTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
	}

	@Test
	void emptyQueueIsReclaimedWhenItsLastConsumerLeaves() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			for (int i = 0; i < 200; i++) {
				subscribeConfirmed(client, "s" + i, "/queue/reply." + i, "auto");
				frame(client, "UNSUBSCRIBE", "id:s" + i);
			}
			assertThat(queueNames()).noneMatch((name) -> name.startsWith("/queue/reply."));
		}
	}

	@Test
	void queueWithMessagesStaysAfterItsConsumerLeavesAndDeliversToTheNextOne() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			subscribeConfirmed(client, "s", "/queue/foo", "auto");
			frame(client, "UNSUBSCRIBE", "id:s");
			sendConfirmed(client, "/queue/foo", "waiting");
		}
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			sendConfirmed(client, "/queue/bar", "waiting too");
		}
		assertThat(queueNames()).contains("/queue/foo", "/queue/bar");
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "c", "/queue/foo", "auto");
			assertThat(message(consumer).bodyText()).isEqualTo("waiting");
			Stomp.subscribe(consumer, "d", "/queue/bar", "auto");
			assertThat(message(consumer).bodyText()).isEqualTo("waiting too");
		}
	}

	@Test
	void unackedMessagesOfALeavingConsumerKeepTheirQueue() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			sendConfirmed(client, "/queue/unacked", "order-1");
			Stomp.subscribe(client, "s", "/queue/unacked", "client-individual");
			assertThat(message(client).bodyText()).isEqualTo("order-1");
		}
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "c", "/queue/unacked", "auto");
			assertThat(message(consumer).bodyText()).isEqualTo("order-1");
		}
	}

	@Test
	void producerAndConsumersRacingWithReclamationLoseNoMessage() throws Exception {
		int total = 500;
		Future<?> producing = this.executor.submit(() -> {
			try (RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
				for (int i = 0; i < total; i++) {
					Stomp.send(producer, "/queue/churn", "m" + i);
				}
				frame(producer, "DISCONNECT");
			}
			return null;
		});
		// Consumers come and go while the producer sends: the queue empties and loses its
		// last consumer again and again, and is reclaimed each time it is unused.
		Set<String> received = new HashSet<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		int round = 0;
		while (received.size() < total && System.nanoTime() < deadline) {
			try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2")) {
				// No receipt to wait for: waiting messages may come first.
				Stomp.subscribe(consumer, "c" + round, "/queue/churn", "client-individual", "prefetch-count:5");
				for (int i = 0; i < 20; i++) {
					Frame next = consumer.receive(Duration.ofSeconds(5));
					assertThat(next.command()).as("frame %s", next).isEqualTo("MESSAGE");
					Stomp.ack(consumer, next);
					received.add(next.bodyText());
					if (received.size() == total) {
						break;
					}
				}
				// What arrives before the UNSUBSCRIBE is handled stays un-acked and goes
				// back to the queue.
				consumer.send("UNSUBSCRIBE\nid:c" + round + "\nreceipt:gone\n\n\0");
				Frame frame = consumer.receive();
				for (int i = 0; i < 10 && "MESSAGE".equals(frame.command()); i++) {
					frame = consumer.receive();
				}
				assertThat(frame.command()).isEqualTo("RECEIPT");
			}
			round++;
		}
		producing.get(10, TimeUnit.SECONDS);
		assertThat(received).hasSize(total);
	}

	private Set<String> queueNames() {
		Set<String> names = new HashSet<>();
		for (Destination destination : this.broker.broker().destinations().all()) {
			names.add(destination.name());
		}
		return names;
	}

}
