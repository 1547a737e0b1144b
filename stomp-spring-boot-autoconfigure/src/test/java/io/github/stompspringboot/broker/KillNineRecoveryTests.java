package io.github.stompspringboot.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.support.StandaloneBrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durability promise under a real crash: a broker in its own JVM is killed with SIGKILL
 * (as {@code kill -9}) while 10,000 persistent messages stream through it, then started again
 * on the same store. Every message arrives; none whose ACK the broker confirmed comes back.
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
	 * Bodies whose ACK was written, confirmed or not: an ACK the broker handled just before
	 * the kill, its RECEIPT lost, may rightly leave the message gone.
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

			// Run 2: same store; the producer sends what it never saw confirmed nor delivered,
			// then an end marker: the queue is FIFO, so when it arrives all before it have.
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
		assertThat(this.deliveredAfterAck.get()).as("messages delivered again after their ACK was confirmed")
			.isZero();
	}

	/** Sends, in batches with a RECEIPT each, every message not yet confirmed or seen. */
	private Void produce(int port) throws IOException {
		try (RawStompClient producer = RawStompClient.connect(port, "1.2")) {
			int inBatch = 0;
			for (int i = 0; i < MESSAGES; i++) {
				if (this.sendConfirmed.contains(i) || this.delivered.contains(i)) {
					continue;
				}
				producer.send("SEND\ndestination:" + QUEUE + "\npersistent:true\nreceipt:" + i + "\n\n" + body(i)
						+ "\0");
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
			consumer.send("SUBSCRIBE\nid:c\ndestination:" + QUEUE + "\nack:client-individual\nprefetch-count:500\n\n\0");
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

	/** -1 during the first run; then how many ACKs the broker confirmed before the kill. */
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

}
