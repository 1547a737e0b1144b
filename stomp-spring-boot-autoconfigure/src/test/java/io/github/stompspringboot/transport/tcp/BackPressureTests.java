package io.github.stompspringboot.transport.tcp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.stompspringboot.broker.Destination;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading must not make the broker buffer for it without bound: a
 * queue keeps what the client cannot take (for other consumers), a topic drops the
 * subscriber once it is too far behind.
 */
class BackPressureTests {

	private static final int BODY_SIZE = 4 * 1024;

	/**
	 * A small receive buffer makes a client that stops reading push back on the broker
	 * soon.
	 */
	private static final int SMALL_RECEIVE_BUFFER = 4 * 1024;

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	/**
	 * Sends numbered messages padded to {@link #BODY_SIZE}, then waits for a receipt
	 * behind them.
	 */
	private static void produce(RawStompClient producer, String destination, int from, int to) throws IOException {
		String padding = "p".repeat(BODY_SIZE - 10);
		StringBuilder batch = new StringBuilder();
		for (int i = from; i < to; i++) {
			batch.append("SEND\ndestination:")
				.append(destination)
				.append("\n\n")
				.append(i)
				.append(' ')
				.append(padding)
				.append('\0');
			if (batch.length() > 256 * 1024) {
				producer.send(batch.toString());
				batch.setLength(0);
			}
		}
		producer.send(batch.toString());
		producer.sendWithReceipt("/queue/barrier", "after " + to);
	}

	private static int number(Frame message) {
		String body = message.bodyText();
		return Integer.parseInt(body.substring(0, body.indexOf(' ')));
	}

	@Test
	void queueKeepsWhatAStalledConsumerCannotTakeForAnotherConsumer() throws Exception {
		int count = 3000; // 12 MB, several times what socket buffers on both sides hold
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient stalled = RawStompClient.connect(broker.port(), "1.2", "", SMALL_RECEIVE_BUFFER);
				RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			stalled.subscribe("stalled", "/queue/work", null);
			produce(producer, "/queue/work", 0, count);
			Destination queue = broker.broker().destinations().find("/queue/work");
			int depth = queue.depth();
			assertThat(depth)
				.as("messages the broker kept in the queue instead of buffering them for the stalled client")
				.isGreaterThan(count / 3);
			produce(producer, "/queue/work", count, count + 100);
			assertThat(queue.depth()).isEqualTo(depth + 100);

			Set<Integer> received = new HashSet<>();
			try (RawStompClient second = RawStompClient.connect(broker.port(), "1.2")) {
				second.subscribe("second", "/queue/work", null);
				for (int i = 0; i < depth + 100; i++) {
					assertThat(received.add(number(second.expect("MESSAGE")))).isTrue();
				}
				assertThat(queue.depth()).isZero();
			}
			// the stalled consumer reads again and finds exactly the rest: each message
			// once
			while (received.size() < count + 100) {
				assertThat(received.add(number(stalled.receive(Duration.ofSeconds(10))))).isTrue();
			}
			assertThat(stalled.readFor(Duration.ofMillis(200))).isEmpty();
		}
	}

	@Test
	void queueOrderSurvivesAConsumerThatPausesAndResumes() throws Exception {
		int count = 3000;
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2", "", SMALL_RECEIVE_BUFFER);
				RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			consumer.subscribe("1", "/queue/ordered", null);
			Destination queue = broker.broker().destinations().find("/queue/ordered");
			CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
				try {
					produce(producer, "/queue/ordered", 0, count);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			for (int i = 0; i < count; i++) {
				if (i == count / 2) {
					// stop reading until the broker holds messages back, then read on
					Awaitility.await().atMost(DEADLINE).until(() -> queue.depth() > 0 || producing.isDone());
				}
				assertThat(number(consumer.receive(Duration.ofSeconds(10)))).isEqualTo(i);
			}
			producing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		}
	}

	@Test
	void topicSubscriberTooFarBehindIsDroppedWithSlowConsumerErrorWhileOthersKeepReceiving() throws Exception {
		// 20 MB at most, several times what socket buffers on both sides hold
		int max = 5000;
		try (EmbeddedBroker broker = EmbeddedBroker
			.start((settings) -> settings.setMaxPendingBytesPerConnection(256 * 1024));
				RawStompClient slow = RawStompClient.connect(broker.port(), "1.2", "", SMALL_RECEIVE_BUFFER);
				RawStompClient fast = RawStompClient.connect(broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			slow.subscribe("slow", "/topic/firehose", null);
			fast.subscribe("fast", "/topic/firehose", null);
			AtomicInteger fastReceived = new AtomicInteger();
			CompletableFuture<Void> fastReading = CompletableFuture.runAsync(() -> {
				try {
					for (int i = 0; i < max; i++) {
						assertThat(number(fast.receive(Duration.ofSeconds(10)))).isEqualTo(i);
						fastReceived.incrementAndGet();
					}
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			Destination topic = broker.broker().destinations().find("/topic/firehose");
			// paced by the fast subscriber, so only the one that stopped reading falls
			// behind. Bursts of 20 (84 KB): a connection's pending bytes may briefly
			// still
			// count the burst before, which its socket took but Netty has not yet
			// removed, so two bursts must stay under the 256 KiB limit.
			int burst = 20;
			int sent = 0;
			int afterDrop = -1;
			while (sent < max && (afterDrop < 0 || sent < afterDrop + 200)) {
				produce(producer, "/topic/firehose", sent, sent + burst);
				sent += burst;
				int expected = sent;
				Awaitility.await().atMost(DEADLINE).until(() -> fastReceived.get() >= expected || fastReading.isDone());
				assertThat(fastReading).isNotCompletedExceptionally();
				if (afterDrop < 0 && topic.consumerCount() == 1) {
					afterDrop = sent;
				}
			}
			assertThat(afterDrop).as("the stalled subscriber was dropped").isPositive();
			assertThat(fastReceived.get()).as("the reading subscriber got everything").isEqualTo(sent);

			// the slow one finds, behind what it had been sent already, the reason it was
			// dropped
			Frame frame = slow.receive(Duration.ofSeconds(10));
			for (int i = 0; i < max && frame.command().equals("MESSAGE"); i++) {
				frame = slow.receive(Duration.ofSeconds(10));
			}
			assertThat(frame.command()).isEqualTo("ERROR");
			assertThat(frame.header("message")).isEqualTo("Slow consumer");
			assertThat(slow.awaitClosed(Duration.ofSeconds(10))).isTrue();
		}
	}

	@Test
	void droppedSubscriberThatNeverReadsAgainIsClosedAfterTheCloseTimeout() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((settings) -> settings
			// more than the kernel's largest send buffer (tcp_wmem max, 4 MB) can absorb
			.setMaxPendingBytesPerConnection(6 * 1024 * 1024)
			.setCloseTimeout(Duration.ofMillis(300)));
				RawStompClient stalled = RawStompClient.connect(broker.port(), "1.2", "", SMALL_RECEIVE_BUFFER);
				RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			stalled.subscribe("stalled", "/topic/firehose", null);
			Destination topic = broker.broker().destinations().find("/topic/firehose");
			for (int sent = 0; sent < 10_000 && topic.consumerCount() > 0; sent += 50) {
				produce(producer, "/topic/firehose", sent, sent + 50);
			}
			assertThat(topic.consumerCount()).as("the stalled subscriber was dropped").isZero();
			// Its ERROR can never be written to a client that does not read, yet its
			// socket goes.
			Awaitility.await().atMost(DEADLINE).until(() -> broker.openConnections() == 1);
			assertThat(producer.isOpen(Duration.ofMillis(200))).isTrue();
		}
	}

	@Test
	void stalledClientsPublishingToEachOtherAreDroppedAndTheBrokerKeepsWorking() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker
			.start((settings) -> settings.setMaxPendingBytesPerConnection(64 * 1024));
				RawStompClient first = RawStompClient.connect(broker.port(), "1.2", "", SMALL_RECEIVE_BUFFER);
				RawStompClient second = RawStompClient.connect(broker.port(), "1.2", "", SMALL_RECEIVE_BUFFER)) {
			first.subscribe("chat", "/topic/chat", null);
			second.subscribe("chat", "/topic/chat", null);
			// both talk at once and neither reads: each is the other's (and its own) slow
			// subscriber
			List<CompletableFuture<Long>> talking = new ArrayList<>();
			for (RawStompClient client : List.of(first, second)) {
				talking.add(CompletableFuture.supplyAsync(() -> chatter(client, 20_000)));
			}
			Destination topic = broker.broker().destinations().find("/topic/chat");
			Awaitility.await().atMost(DEADLINE).until(() -> topic.consumerCount() == 0);
			try (RawStompClient third = RawStompClient.connect(broker.port(), "1.2")) {
				third.subscribe("fresh", "/topic/chat", null);
				third.sendWithReceipt("/topic/chat", "0 broker still answers");
				assertThat(number(third.expect("MESSAGE"))).isZero();
			}
			first.close();
			second.close();
			for (CompletableFuture<Long> chatter : talking) {
				chatter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			}
		}
	}

	/** Sends messages until the count or until the broker stops taking them. */
	private static long chatter(RawStompClient client, int count) {
		String frame = "SEND\ndestination:/topic/chat\n\n1 " + "c".repeat(BODY_SIZE) + "\0";
		long sent = 0;
		try {
			for (int i = 0; i < count; i++) {
				client.send(frame);
				sent++;
			}
		}
		catch (IOException ex) {
			// dropped by the broker, or closed by the test
		}
		return sent;
	}

}
