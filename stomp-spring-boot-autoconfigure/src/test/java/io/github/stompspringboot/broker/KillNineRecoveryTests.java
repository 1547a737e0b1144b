package io.github.stompspringboot.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.support.StandaloneBrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durability promise under a real crash: a broker in its own JVM is killed with
 * SIGKILL (as {@code kill -9}) while 10,000 persistent messages stream through it, then
 * started again on the same store. Every message arrives; none whose ACK the broker
 * confirmed comes back.
 */
class KillNineRecoveryTests {

	private static final int MESSAGES = 10_000;

	private static final String QUEUE = "/queue/crash";

	@TempDir
	Path workDir;

	/** Bodies whose SEND the broker confirmed with a RECEIPT. */
	private final Set<Integer> sendConfirmed = ConcurrentHashMap.newKeySet();

	/** Bodies delivered to the consumer at least once. */
	private final Set<Integer> delivered = ConcurrentHashMap.newKeySet();

	/** Bodies whose ACK the broker confirmed with a RECEIPT. */
	private final Set<Integer> ackConfirmed = ConcurrentHashMap.newKeySet();

	/**
	 * Bodies whose ACK was written, confirmed or not: an ACK the broker handled just
	 * before the kill, its RECEIPT lost, may rightly leave the message gone.
	 */
	private final Set<Integer> ackSent = ConcurrentHashMap.newKeySet();

	/** Deliveries of a message after its ACK was confirmed: must stay 0. */
	private final AtomicInteger deliveredAfterAck = new AtomicInteger();

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void everyPersistentMessageArrivesAndNoneComesBackAfterItsAckAcrossAKill() throws Exception {
		Path store = this.workDir.resolve("store");
		Path log = this.workDir.resolve("broker.log");
		ExecutorService clients = Executors.newFixedThreadPool(2);
		try {
			// Run 1: stream, and kill the broker in the middle of it.
			StandaloneBrokerProcess first = StandaloneBrokerProcess.start(store, log);
			try {
				Future<?> consumer = clients.submit(() -> consume(first.port()));
				Future<?> producer = clients.submit(() -> produce(first.port()));
				await().atMost(Duration.ofSeconds(120))
					.until(() -> this.ackConfirmed.size() >= 2_000 || consumer.isDone() || producer.isDone());
				assertThat(this.ackConfirmed.size()).as("consumer progressed before the kill").isGreaterThan(0);
				first.kill();
				consumer.get(30, TimeUnit.SECONDS);
				producer.get(30, TimeUnit.SECONDS);
			}
			finally {
				first.close();
			}
			int ackedBeforeKill = this.ackConfirmed.size();
			this.ackedBeforeRestart = ackedBeforeKill;
			assertThat(ackedBeforeKill).as("killed mid-stream, not after it").isLessThan(MESSAGES);

			// Run 2: same store; the producer sends what it never saw confirmed nor
			// delivered, then an end marker: the queue is FIFO, so when it arrives all
			// before it have.
			try (StandaloneBrokerProcess second = StandaloneBrokerProcess.start(store, log)) {
				Future<?> consumer = clients.submit(() -> consume(second.port()));
				Future<?> producer = clients.submit(() -> produce(second.port()));
				producer.get(120, TimeUnit.SECONDS);
				consumer.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(this.ended).as("the end marker arrived after the restart").isTrue();
		for (int i = 0; i < MESSAGES; i++) {
			assertThat(this.delivered).as("message %d delivered", i).contains(i);
			assertThat(this.ackConfirmed.contains(i) || this.ackSent.contains(i)).as("message %d acknowledged", i)
				.isTrue();
		}
		assertThat(this.deliveredAfterAck.get()).as("messages delivered again after their ACK was confirmed").isZero();
	}

	/** Sends, in batches with a RECEIPT each, every message not yet confirmed or seen. */
	private Void produce(int port) throws IOException {
		try (RawStompClient producer = RawStompClient.connect(port, "1.2")) {
			int inBatch = 0;
			for (int i = 0; i < MESSAGES; i++) {
				if (this.sendConfirmed.contains(i) || this.delivered.contains(i)) {
					continue;
				}
				producer
					.send("SEND\ndestination:" + QUEUE + "\npersistent:true\nreceipt:" + i + "\n\n" + body(i) + "\0");
				if (++inBatch == 200) {
					readReceipts(producer, inBatch);
					inBatch = 0;
				}
			}
			readReceipts(producer, inBatch);
			if (this.ackedBeforeRestart >= 0) {
				producer.send("SEND\ndestination:" + QUEUE + "\npersistent:true\nreceipt:-1\n\n" + END + "\0");
				readReceipts(producer, 1);
			}
		}
		catch (IOException ex) {
			// the broker was killed: the unconfirmed rest is sent again to the next one
		}
		return null;
	}

	private void readReceipts(RawStompClient producer, int count) throws IOException {
		for (int i = 0; i < count; i++) {
			Frame receipt = producer.receive(Duration.ofSeconds(30));
			assertThat(receipt.command()).as("frame %s", receipt).isEqualTo("RECEIPT");
			this.sendConfirmed.add(Integer.valueOf(receipt.header("receipt-id")));
		}
	}

	/** Receives and ACKs (with a RECEIPT each) until all are acked or the broker dies. */
	private Void consume(int port) throws IOException {
		try (RawStompClient consumer = RawStompClient.connect(port, "1.2")) {
			consumer
				.send("SUBSCRIBE\nid:c\ndestination:" + QUEUE + "\nack:client-individual\nprefetch-count:500\n\n\0");
			while (!this.ended) {
				Frame frame = consumer.receive(Duration.ofSeconds(60));
				if ("MESSAGE".equals(frame.command()) && frame.bodyText().equals(END)) {
					this.ended = true;
				}
				else if ("MESSAGE".equals(frame.command())) {
					int id = Integer.parseInt(frame.bodyText().substring(0, frame.bodyText().indexOf(' ')));
					if (this.ackConfirmed.contains(id)) {
						this.deliveredAfterAck.incrementAndGet();
					}
					this.delivered.add(id);
					this.ackSent.add(id);
					consumer.send("ACK\nid:" + frame.header("ack") + "\nreceipt:" + id + "\n\n\0");
				}
				else if ("RECEIPT".equals(frame.command())) {
					this.ackConfirmed.add(Integer.valueOf(frame.header("receipt-id")));
				}
				else {
					throw new IllegalStateException("Unexpected " + frame);
				}
			}
		}
		catch (IOException ex) {
			// killed
		}
		return null;
	}

	private static final String END = "end";

	/**
	 * -1 during the first run; then how many ACKs the broker confirmed before the kill.
	 */
	private volatile int ackedBeforeRestart = -1;

	private volatile boolean ended;

	/** 128 bytes: the number, a space, padding. */
	private static String body(int i) {
		StringBuilder body = new StringBuilder(128).append(i).append(' ');
		while (body.length() < 128) {
			body.append('x');
		}
		return body.toString();
	}

	/**
	 * The same promise with 4 producers (plain SENDs with receipts, committed and aborted
	 * transactions) and 4 competing consumers (client-individual ACKs, some in
	 * transactions), for both fsync settings: after the kill and a restart every
	 * receipted SEND and every message of a receipted COMMIT arrives, nothing of an
	 * aborted transaction ever does, and no message whose ACK (or ACK transaction) got
	 * its RECEIPT comes back.
	 */
	@ParameterizedTest(name = "fsync={0}")
	@ValueSource(booleans = { false, true })
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void manyProducersAndConsumersWithTransactionsLoseNothingReceiptedAcrossAKill(boolean fsync) throws Exception {
		Path store = this.workDir.resolve("store-" + fsync);
		Path log = this.workDir.resolve("broker-" + fsync + ".log");
		Traffic traffic = new Traffic();
		ExecutorService clients = Executors.newFixedThreadPool(2 * Traffic.CLIENTS);
		try {
			StandaloneBrokerProcess first = StandaloneBrokerProcess.start(store, log, fsync);
			try {
				List<Future<?>> running = traffic.start(clients, first.port(), false);
				await().atMost(Duration.ofSeconds(120))
					.until(() -> traffic.ackConfirmed.size() >= 1_000 || running.stream().allMatch(Future::isDone));
				first.kill();
				for (Future<?> client : running) {
					client.get(30, TimeUnit.SECONDS);
				}
			}
			finally {
				first.close();
			}
			assertThat(traffic.ackConfirmed.size()).as("consumers progressed before the kill").isGreaterThan(0);
			assertThat(traffic.delivered.size()).as("killed mid-stream").isLessThan(Traffic.expectedIds().size());
			try (StandaloneBrokerProcess second = StandaloneBrokerProcess.start(store, log, fsync)) {
				traffic.stopping = false;
				List<Future<?>> running = traffic.start(clients, second.port(), true);
				await().atMost(Duration.ofSeconds(120))
					.until(() -> traffic.delivered.containsAll(Traffic.expectedIds()) || traffic.failure.get() != null);
				traffic.stopping = true;
				for (Future<?> client : running) {
					client.get(30, TimeUnit.SECONDS);
				}
			}
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(traffic.failure.get()).as("client failure").isNull();
		assertThat(traffic.delivered).as("every message not aborted arrives").containsAll(Traffic.expectedIds());
		assertThat(traffic.delivered).as("every receipted SEND and COMMIT arrives").containsAll(traffic.sendConfirmed);
		assertThat(traffic.sendConfirmed).as("some SENDs and COMMITs were receipted before the kill").isNotEmpty();
		assertThat(traffic.delivered).as("nothing of an aborted transaction")
			.doesNotContainAnyElementsOf(traffic.aborted);
		assertThat(traffic.deliveredAfterAck).as("messages delivered again after their ACK was receipted").isEmpty();
	}

	/**
	 * What the clients of
	 * {@link #manyProducersAndConsumersWithTransactionsLoseNothingReceiptedAcrossAKill}
	 * saw.
	 */
	private static final class Traffic {

		static final int CLIENTS = 4;

		/**
		 * Per producer: groups of 5 messages, by turns plain, plain, committed, aborted.
		 */
		static final int GROUPS = 200;

		static final String QUEUE = "/queue/crash-many";

		/** Ids ("p-g-k") whose SEND or COMMIT got its RECEIPT. */
		final Set<String> sendConfirmed = ConcurrentHashMap.newKeySet();

		/** Ids sent in transactions that were aborted: never to be delivered. */
		final Set<String> aborted = ConcurrentHashMap.newKeySet();

		/** Ids delivered at least once. */
		final Set<String> delivered = ConcurrentHashMap.newKeySet();

		/**
		 * Bodies (an id, "#2" added when sent again after the restart) whose ACK got its
		 * RECEIPT.
		 */
		final Set<String> ackConfirmed = ConcurrentHashMap.newKeySet();

		final Set<String> deliveredAfterAck = ConcurrentHashMap.newKeySet();

		final AtomicReference<Throwable> failure = new AtomicReference<>();

		volatile boolean stopping;

		static Set<String> expectedIds() {
			Set<String> ids = new java.util.HashSet<>();
			for (int p = 0; p < CLIENTS; p++) {
				for (int g = 0; g < GROUPS; g++) {
					if (g % 4 != 3) {
						for (int k = 0; k < 5; k++) {
							ids.add(p + "-" + g + "-" + k);
						}
					}
				}
			}
			return ids;
		}

		List<Future<?>> start(ExecutorService clients, int port, boolean afterRestart) {
			List<Future<?>> running = new java.util.ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				int index = c;
				running.add(clients.submit(() -> consume(port, index)));
			}
			for (int p = 0; p < CLIENTS; p++) {
				int index = p;
				running.add(clients.submit(() -> afterRestart ? resend(port, index) : produce(port, index)));
			}
			return running;
		}

		private Void produce(int port, int p) {
			try (RawStompClient producer = RawStompClient.connect(port, "1.2")) {
				for (int g = 0; g < GROUPS && !this.stopping; g++) {
					List<String> ids = new java.util.ArrayList<>();
					for (int k = 0; k < 5; k++) {
						ids.add(p + "-" + g + "-" + k);
					}
					int kind = g % 4;
					if (kind < 2) {
						StringBuilder frames = new StringBuilder();
						for (String id : ids) {
							frames.append(send(id, "receipt:" + id));
						}
						producer.send(frames.toString());
						for (int k = 0; k < ids.size(); k++) {
							this.sendConfirmed.add(receipt(producer));
						}
					}
					else {
						String tx = "tx-" + p + "-" + g;
						if (kind == 3) {
							this.aborted.addAll(ids);
						}
						StringBuilder frames = new StringBuilder("BEGIN\ntransaction:" + tx + "\n\n\0");
						for (String id : ids) {
							frames.append(send(id, "transaction:" + tx));
						}
						frames.append((kind == 2) ? "COMMIT" : "ABORT")
							.append("\ntransaction:")
							.append(tx)
							.append("\nreceipt:")
							.append(tx)
							.append("\n\n\0");
						producer.send(frames.toString());
						receipt(producer);
						if (kind == 2) {
							this.sendConfirmed.addAll(ids);
						}
					}
				}
			}
			catch (IOException ex) {
				// the broker was killed: what was not receipted is sent again to the next
				// one
			}
			catch (Throwable ex) {
				this.failure.compareAndSet(null, ex);
			}
			return null;
		}

		/**
		 * After the restart: every message neither receipted nor seen, sent again (body
		 * marked "#2").
		 */
		private Void resend(int port, int p) {
			try (RawStompClient producer = RawStompClient.connect(port, "1.2")) {
				for (int g = 0; g < GROUPS; g++) {
					for (int k = 0; k < 5 && g % 4 != 3; k++) {
						String id = p + "-" + g + "-" + k;
						if (!this.sendConfirmed.contains(id) && !this.delivered.contains(id)) {
							producer.send(send(id + "#2", "receipt:" + id));
							receipt(producer);
						}
					}
				}
			}
			catch (Throwable ex) {
				this.failure.compareAndSet(null, ex);
			}
			return null;
		}

		private static String send(String body, String header) {
			return "SEND\ndestination:" + QUEUE + "\npersistent:true\n" + header + "\n\n" + body + "\0";
		}

		private static String receipt(RawStompClient client) throws IOException {
			Frame frame = client.receive(Duration.ofSeconds(30));
			assertThat(frame.command()).as("frame %s", frame).isEqualTo("RECEIPT");
			return frame.header("receipt-id");
		}

		/**
		 * Receives; ACKs every 3 messages, by turns one by one and in a transaction, each
		 * with a RECEIPT.
		 */
		private Void consume(int port, int c) {
			Map<String, List<String>> awaitingReceipt = new java.util.HashMap<>();
			List<Frame> unacked = new java.util.ArrayList<>();
			int groups = 0;
			try (RawStompClient consumer = RawStompClient.connect(port, "1.2")) {
				consumer
					.send("SUBSCRIBE\nid:c\ndestination:" + QUEUE + "\nack:client-individual\nprefetch-count:30\n\n\0");
				while (!this.stopping) {
					Frame frame;
					try {
						frame = consumer.receive(Duration.ofMillis(500));
					}
					catch (java.net.SocketTimeoutException idle) {
						if (!unacked.isEmpty()) {
							ack(consumer, c, groups++, unacked, awaitingReceipt);
						}
						continue;
					}
					if ("MESSAGE".equals(frame.command())) {
						String body = frame.bodyText();
						if (this.ackConfirmed.contains(body)) {
							this.deliveredAfterAck.add(body);
						}
						this.delivered.add(body.replace("#2", ""));
						unacked.add(frame);
						if (unacked.size() == 3) {
							ack(consumer, c, groups++, unacked, awaitingReceipt);
						}
					}
					else if ("RECEIPT".equals(frame.command())) {
						List<String> acked = awaitingReceipt.remove(frame.header("receipt-id"));
						if (acked != null) {
							this.ackConfirmed.addAll(acked);
						}
					}
					else {
						throw new IllegalStateException("Unexpected " + frame);
					}
				}
			}
			catch (IOException ex) {
				// killed
			}
			catch (Throwable ex) {
				this.failure.compareAndSet(null, ex);
			}
			return null;
		}

		private static void ack(RawStompClient consumer, int c, int group, List<Frame> messages,
				Map<String, List<String>> awaitingReceipt) throws IOException {
			StringBuilder frames = new StringBuilder();
			if (group % 2 == 0) {
				for (Frame message : messages) {
					String receipt = "a-" + c + "-" + message.bodyText();
					awaitingReceipt.put(receipt, List.of(message.bodyText()));
					frames.append("ACK\nid:")
						.append(message.header("ack"))
						.append("\nreceipt:")
						.append(receipt)
						.append("\n\n\0");
				}
			}
			else {
				String tx = "ack-" + c + "-" + group;
				frames.append("BEGIN\ntransaction:").append(tx).append("\n\n\0");
				List<String> bodies = new java.util.ArrayList<>();
				for (Frame message : messages) {
					bodies.add(message.bodyText());
					frames.append("ACK\nid:")
						.append(message.header("ack"))
						.append("\ntransaction:")
						.append(tx)
						.append("\n\n\0");
				}
				awaitingReceipt.put(tx, bodies);
				frames.append("COMMIT\ntransaction:").append(tx).append("\nreceipt:").append(tx).append("\n\n\0");
			}
			messages.clear();
			consumer.send(frames.toString());
		}

	}

}
