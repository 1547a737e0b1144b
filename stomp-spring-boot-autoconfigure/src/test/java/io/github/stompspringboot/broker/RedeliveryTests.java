package io.github.stompspringboot.broker;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.stompspringboot.broker.Stomp.ack;
import static io.github.stompspringboot.broker.Stomp.message;
import static io.github.stompspringboot.broker.Stomp.nack;
import static io.github.stompspringboot.broker.Stomp.send;
import static io.github.stompspringboot.broker.Stomp.sendConfirmed;
import static io.github.stompspringboot.broker.Stomp.subscribe;
import static io.github.stompspringboot.broker.Stomp.subscribeConfirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * NACK redelivers; after max-redeliveries the message moves to the dead-letter queue with
 * headers saying where it came from and why. Nothing disappears without a trace.
 */
class RedeliveryTests {

	private EmbeddedBroker broker;

	@AfterEach
	void stop() {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@Test
	void messageNackedPastMaxRedeliveriesMovesToTheDeadLetterQueue() throws Exception {
		this.broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxRedeliveries(2)));
		produce("/queue/poison", "bad");
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/poison", "client-individual");
			String messageId = null;
			for (int delivery = 0; delivery <= 2; delivery++) {
				Frame message = message(consumer);
				assertThat(message.bodyText()).isEqualTo("bad");
				assertThat(message.header("redelivered")).isEqualTo((delivery > 0) ? "true" : null);
				messageId = message.header("message-id");
				nack(consumer, message);
			}
			try (RawStompClient dlqConsumer = connect()) {
				subscribe(dlqConsumer, "d", "/queue/DLQ.poison", "client-individual");
				Frame dead = message(dlqConsumer);
				assertThat(dead.bodyText()).isEqualTo("bad");
				assertThat(dead.header("destination")).isEqualTo("/queue/DLQ.poison");
				assertThat(dead.header("dlq-original-destination")).isEqualTo("/queue/poison");
				assertThat(dead.header("dlq-original-message-id")).isEqualTo(messageId);
				assertThat(dead.header("dlq-reason")).isEqualTo("max-redeliveries");
				assertThat(dead.header("dlq-delivery-count")).isEqualTo("3");
				assertThat(dead.header("redelivered")).isNull();
				assertThat(dead.header("custom")).isEqualTo("kept");
			}
		}
		assertThat(this.broker.broker().destinations().depth("/queue/poison")).isZero();
	}

	@Test
	void deadLetterQueueNameIsASetting() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setDestinationDefaults(
				DestinationSettings.DEFAULTS.withMaxRedeliveries(0).withDeadLetterQueue("/queue/{name}.dead")));
		produce("/queue/named", "x");
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/named", "client-individual");
			nack(consumer, message(consumer));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> queue("/queue/named.dead") != null && queue("/queue/named.dead").depth() == 1);
		}
	}

	@Test
	void maxRedeliveriesIsSetPerDestinationPattern() throws Exception {
		this.broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxRedeliveries(5))
				.addDestinationOverride("/queue/orders.*", (queue) -> queue.withMaxRedeliveries(0))
				.addDestinationOverride("/queue/**", (queue) -> queue.withMaxRedeliveries(1)));
		produce("/queue/orders.eu", "order");
		produce("/queue/other", "other");
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "o", "/queue/orders.eu", "client-individual");
			nack(consumer, message(consumer)); // no redelivery at all for orders.*
			subscribe(consumer, "x", "/queue/other", "client-individual");
			Frame other = message(consumer);
			nack(consumer, other);
			Frame again = message(consumer);
			assertThat(again.bodyText()).isEqualTo("other");
			assertThat(again.header("redelivered")).isEqualTo("true");
			nack(consumer, again); // the second NACK exhausts /queue/** 's one redelivery
			await().atMost(Duration.ofSeconds(5))
				.until(() -> queue("/queue/DLQ.orders.eu") != null && queue("/queue/DLQ.orders.eu").depth() == 1
						&& queue("/queue/DLQ.other") != null && queue("/queue/DLQ.other").depth() == 1);
		}
	}

	@Test
	void deadLetterQueueRedeliversForeverInsteadOfDeadLetteringAgain() throws Exception {
		this.broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxRedeliveries(0)));
		produce("/queue/DLQ.thing", "stuck");
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/DLQ.thing", "client-individual");
			for (int i = 0; i < 3; i++) {
				nack(consumer, message(consumer));
			}
			Frame still = message(consumer);
			assertThat(still.bodyText()).isEqualTo("stuck");
			assertThat(still.header("redelivered")).isEqualTo("true");
		}
	}

	@Test
	void consumersThatLeaveCountAsRedeliveriesSoAPoisonMessageEndsInTheDeadLetterQueue() throws Exception {
		this.broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxRedeliveries(1)));
		produce("/queue/crashy", "poison");
		for (int crash = 0; crash < 2; crash++) {
			RawStompClient consumer = connect();
			subscribe(consumer, "c", "/queue/crashy", "client");
			message(consumer);
			consumer.closeAbruptly();
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> queue("/queue/DLQ.crashy") != null && queue("/queue/DLQ.crashy").depth() == 1);
		assertThat(this.broker.broker().destinations().depth("/queue/crashy")).isZero();
	}

	/**
	 * Three consumers compete for 300 messages and ACK or NACK at random (seeded): every
	 * message ends acknowledged exactly once or in the dead-letter queue, never both,
	 * never delivered again after its ACK.
	 */
	@Test
	void competingConsumersWithRandomAcksAndNacksSettleEveryMessageExactlyOnce() throws Exception {
		this.broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxRedeliveries(2)));
		int total = 300;
		try (RawStompClient producer = connect()) {
			for (int i = 0; i < total - 1; i++) {
				send(producer, "/queue/work", "w" + i);
			}
			sendConfirmed(producer, "/queue/work", "w" + (total - 1));
		}
		ConcurrentHashMap<String, AtomicInteger> acked = new ConcurrentHashMap<>();
		List<String> violations = new CopyOnWriteArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(3);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		try {
			List<Future<?>> consumers = new ArrayList<>();
			for (int c = 0; c < 3; c++) {
				int index = c;
				consumers.add(pool.submit(() -> {
					Random random = new Random(42 + index);
					try (RawStompClient consumer = connect()) {
						subscribe(consumer, "w", "/queue/work", "client-individual",
								"prefetch-count:" + (1 + index * 4));
						while (System.nanoTime() < deadline && acked.size() + deadLettered() < total) {
							Frame message;
							try {
								message = consumer.receive(Duration.ofMillis(300));
							}
							catch (SocketTimeoutException ex) {
								continue;
							}
							if (!"MESSAGE".equals(message.command())) {
								violations.add("consumer " + index + " got " + message);
								return null;
							}
							if (acked.containsKey(message.bodyText())) {
								violations.add("delivered after its ACK: " + message);
							}
							if (random.nextInt(100) < 40) {
								nack(consumer, message);
							}
							else {
								acked.computeIfAbsent(message.bodyText(), (key) -> new AtomicInteger())
									.incrementAndGet();
								ack(consumer, message);
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> consumer : consumers) {
				consumer.get(40, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(violations).isEmpty();
		assertThat(acked.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
		Set<String> dead = new HashSet<>();
		try (RawStompClient dlqConsumer = connect()) {
			subscribe(dlqConsumer, "d", "/queue/DLQ.work", "auto");
			int expected = total - acked.size();
			for (int i = 0; i < expected; i++) {
				Frame message = message(dlqConsumer);
				assertThat(message.header("dlq-delivery-count")).isEqualTo("3");
				dead.add(message.bodyText());
			}
		}
		assertThat(dead).doesNotContainAnyElementsOf(acked.keySet());
		Set<String> settled = new HashSet<>(acked.keySet());
		settled.addAll(dead);
		assertThat(settled).hasSize(total);
		assertThat(dead).isNotEmpty();
		assertThat(this.broker.broker().destinations().depth("/queue/work")).isZero();
	}

	@Test
	void topicSubscribersAckTheirOwnCopiesAndANackedCopyGoesToNoOtherSubscriber() throws Exception {
		this.broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxRedeliveries(1)));
		try (RawStompClient nacker = connect(); RawStompClient acker = connect(); RawStompClient producer = connect()) {
			subscribeConfirmed(nacker, "n", "/topic/news", "client-individual");
			subscribeConfirmed(acker, "a", "/topic/news", "client");
			sendConfirmed(producer, "/topic/news", "headline");
			sendConfirmed(producer, "/topic/news", "second");
			Frame mine = message(nacker);
			Frame theirs = message(acker);
			assertThat(message(acker).bodyText()).isEqualTo("second");
			ack(acker, theirs);
			nack(nacker, mine);
			Frame second = message(nacker);
			assertThat(second.bodyText()).isEqualTo("second");
			Frame again = message(nacker);
			assertThat(again.bodyText()).isEqualTo("headline");
			assertThat(again.header("redelivered")).isEqualTo("true");
			nack(nacker, again);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> queue("/queue/DLQ.news") != null && queue("/queue/DLQ.news").depth() == 1);
			// The acker's window still holds "second" un-acked; it never saw the nacker's
			// copy.
			sendConfirmed(producer, "/topic/news", "third");
			assertThat(message(acker).bodyText()).isEqualTo("third");
		}
	}

	@Test
	void topicSubscriberPastItsUnackedWindowIsDisconnected() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient lazy = connect(); RawStompClient producer = connect()) {
			subscribeConfirmed(lazy, "l", "/topic/flood", "client", "prefetch-count:2");
			for (int i = 0; i < 3; i++) {
				sendConfirmed(producer, "/topic/flood", "f" + i);
			}
			message(lazy);
			message(lazy);
			Frame error = Stomp.expectError(lazy);
			assertThat(error.header("message")).contains("un-acked");
		}
	}

	private int deadLettered() {
		QueueDestination dlq = queue("/queue/DLQ.work");
		return (dlq != null) ? dlq.depth() : 0;
	}

	private QueueDestination queue(String name) {
		return (QueueDestination) this.broker.broker().destinations().find(name);
	}

	private RawStompClient connect() throws Exception {
		return RawStompClient.connect(this.broker.port(), "1.2");
	}

	private void produce(String destination, String body) throws Exception {
		try (RawStompClient producer = connect()) {
			sendConfirmed(producer, destination, body, "custom:kept");
		}
	}

}
