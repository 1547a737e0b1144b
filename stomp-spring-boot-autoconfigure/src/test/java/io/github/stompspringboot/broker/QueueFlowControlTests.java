package io.github.stompspringboot.broker;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.stompspringboot.broker.Stomp.ack;
import static io.github.stompspringboot.broker.Stomp.expectError;
import static io.github.stompspringboot.broker.Stomp.expectReceipt;
import static io.github.stompspringboot.broker.Stomp.frame;
import static io.github.stompspringboot.broker.Stomp.message;
import static io.github.stompspringboot.broker.Stomp.send;
import static io.github.stompspringboot.broker.Stomp.sendConfirmed;
import static io.github.stompspringboot.broker.Stomp.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A queue holds at most its maximum depth: past it the broker stops reading from the
 * producer (TCP back-pressure) until consumers drain it, or refuses with an ERROR if the
 * policy says so. Nothing already read is lost.
 */
class QueueFlowControlTests {

	private static final int BODY_SIZE = 1024;

	/**
	 * Netty reads at most 64 KiB at once; frames of one read are handled even after
	 * reading stops.
	 */
	private static final int FRAMES_IN_ONE_READ = 64 * 1024 / BODY_SIZE + 1;

	private EmbeddedBroker broker;

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
		this.broker.close();
	}

	@Test
	void fastProducerIsHeldBackBySlowConsumerWithoutLosingAMessage() throws Exception {
		int limit = 50;
		int total = 1000;
		this.broker = EmbeddedBroker.start(
				(settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxQueueDepth(limit)));
		String padding = "x".repeat(BODY_SIZE - 8);
		Future<Frame> producerDone = this.executor.submit(() -> {
			try (RawStompClient producer = connect()) {
				for (int i = 0; i < total; i++) {
					send(producer, "/queue/flow", String.format("%07d", i) + ":" + padding);
				}
				producer.send("DISCONNECT\nreceipt:all-sent\n\n\0");
				return producer.receive(Duration.ofSeconds(30));
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> queue() != null && queue().depth() >= limit);
		// Held on to: drained and left by its consumer, the queue is reclaimed at the
		// end.
		QueueDestination flow = queue();
		StompSession producerSession = await().atMost(Duration.ofSeconds(5))
			.until(() -> this.broker.broker().sessions().stream().filter(StompSession::isReadingSuspended).findFirst(),
					java.util.Optional::isPresent)
			.get();
		assertThat(producerSession.isConnected()).isTrue();
		assertThat(producerDone.isDone()).isFalse();
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/flow", "client-individual", "prefetch-count:10");
			for (int i = 0; i < total; i++) {
				Frame message = message(consumer, Duration.ofSeconds(10));
				assertThat(message.bodyText()).startsWith(String.format("%07d", i) + ":");
				assertThat(message.header("redelivered")).isNull();
				ack(consumer, message);
			}
			Frame receipt = producerDone.get(30, TimeUnit.SECONDS);
			assertThat(receipt.command()).isEqualTo("RECEIPT");
			assertThat(receipt.header("receipt-id")).isEqualTo("all-sent");
		}
		assertThat(flow.depth()).isZero();
		assertThat(flow.peakDepth()).isBetween(limit, limit + FRAMES_IN_ONE_READ);
		await().atMost(Duration.ofSeconds(5)).until(() -> queue() == null);
	}

	@Test
	void heldBackProducerIsNotDroppedForHeartbeatSilence() throws Exception {
		this.broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxQueueDepth(3))
				.setHeartbeatReceive(Duration.ofMillis(100)));
		RawStompClient producer = new RawStompClient(this.broker.port());
		try (producer) {
			producer.send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:100,0\n\n\0");
			assertThat(producer.receive().command()).isEqualTo("CONNECTED");
			for (int i = 0; i < 3; i++) {
				send(producer, "/queue/held", "h" + i);
			}
			producer.send("SEND\ndestination:/queue/held\nreceipt:late\n\nlate\0");
			StompSession session = await().atMost(Duration.ofSeconds(5))
				.until(() -> this.broker.broker()
					.sessions()
					.stream()
					.filter(StompSession::isReadingSuspended)
					.findFirst(), java.util.Optional::isPresent)
				.get();
			// Unread heart-beats are the broker's doing: far past 1.5 x 100 ms, still
			// connected.
			await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(session::isConnected);
			try (RawStompClient consumer = connect()) {
				subscribe(consumer, "c", "/queue/held", "auto");
				for (int i = 0; i < 3; i++) {
					message(consumer);
				}
				expectReceipt(producer, "late");
				assertThat(message(consumer).bodyText()).isEqualTo("late");
			}
		}
	}

	@Test
	void failPolicyAnswersAFullQueueWithAnError() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setDestinationDefaults(
				DestinationSettings.DEFAULTS.withMaxQueueDepth(5).withQueueFullPolicy(QueueFullPolicy.FAIL)));
		try (RawStompClient producer = connect()) {
			for (int i = 0; i < 5; i++) {
				sendConfirmed(producer, "/queue/full", "f" + i);
			}
			send(producer, "/queue/full", "one-too-many");
			Frame error = expectError(producer);
			assertThat(error.header("message")).isEqualTo("Queue /queue/full is full");
			assertThat(error.bodyText()).contains("5 messages");
		}
		assertThat(queue("/queue/full").depth()).isEqualTo(5);
	}

	@Test
	void queueSizeInBytesIsALimitToo() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setDestinationDefaults(
				DestinationSettings.DEFAULTS.withMaxQueueBytes(100).withQueueFullPolicy(QueueFullPolicy.FAIL)));
		try (RawStompClient producer = connect()) {
			sendConfirmed(producer, "/queue/bytes", "a".repeat(60));
			send(producer, "/queue/bytes", "b".repeat(60));
			assertThat(expectError(producer).header("message")).contains("is full");
		}
		assertThat(queue("/queue/bytes").depthBytes()).isEqualTo(60);
	}

	@Test
	void queueLimitsAreSetPerDestinationPattern() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.addDestinationOverride("/queue/small.*",
				(queue) -> queue.withMaxQueueDepth(1).withQueueFullPolicy(QueueFullPolicy.FAIL)));
		try (RawStompClient producer = connect()) {
			for (int i = 0; i < 3; i++) {
				sendConfirmed(producer, "/queue/big", "b" + i);
			}
			sendConfirmed(producer, "/queue/small.one", "s0");
			send(producer, "/queue/small.one", "s1");
			assertThat(expectError(producer).header("message")).contains("/queue/small.one is full");
		}
	}

	@Test
	void committedTransactionOverTheLimitIsRefusedWhole() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setDestinationDefaults(
				DestinationSettings.DEFAULTS.withMaxQueueDepth(3).withQueueFullPolicy(QueueFullPolicy.FAIL)));
		try (RawStompClient producer = connect()) {
			sendConfirmed(producer, "/queue/txfull", "first");
			frame(producer, "BEGIN", "transaction:t");
			for (int i = 0; i < 3; i++) {
				send(producer, "/queue/txfull", "t" + i, "transaction:t");
			}
			producer.send("COMMIT\ntransaction:t\n\n\0");
			assertThat(expectError(producer).header("message")).contains("is full");
		}
		assertThat(queue("/queue/txfull").depth()).isEqualTo(1);
	}

	private QueueDestination queue() {
		return queue("/queue/flow");
	}

	private QueueDestination queue(String name) {
		return (QueueDestination) this.broker.broker().destinations().find(name);
	}

	private RawStompClient connect() throws Exception {
		return RawStompClient.connect(this.broker.port(), "1.2");
	}

}
