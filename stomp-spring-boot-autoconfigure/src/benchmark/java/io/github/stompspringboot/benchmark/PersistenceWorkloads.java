package io.github.stompspringboot.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Persistent messages measured as a user would: one producer pipelines persistent SENDs
 * with a RECEIPT asked every {@value #RECEIPT_EVERY} (the producer counts a message only
 * once the RECEIPT covering it is back), then one consumer drains the queue with
 * client-individual ACKs, a RECEIPT asked every {@value #RECEIPT_EVERY} ACKs.
 */
final class PersistenceWorkloads {

	static final int RECEIPT_EVERY = 1000;

	/** RECEIPTs the producer may be waiting for at once: 10,000 messages in flight. */
	private static final int RECEIPTS_IN_FLIGHT = 10;

	private PersistenceWorkloads() {
	}

	/**
	 * Rates of one produce phase and one drain phase.
	 *
	 * @param rates of each consecutive slice of {@code sliceSize} produced messages (only
	 * when asked for), to show whether the cost grows with the depth
	 */
	record ProduceDrain(double producePerSecond, double drainPerSecond, double[] sliceRates, String error) {
	}

	/**
	 * Produces {@code messages} persistent messages of {@code bodySize} bytes into an
	 * empty queue, then drains it (unless {@code drain} is false).
	 */
	static ProduceDrain produceThenDrain(TcpBroker broker, String destination, int messages, int bodySize,
			boolean drain, int sliceSize, long limitNanos) throws IOException, InterruptedException {
		AtomicReference<String> error = new AtomicReference<>();
		double[] slices = new double[(sliceSize > 0) ? messages / sliceSize : 0];
		double produceRate;
		try (LoadClient producer = new LoadClient(broker.port())) {
			AtomicLong receipts = new AtomicLong();
			Thread producerThread = Thread.currentThread();
			producer.startReader("persistent-producer", (frame) -> {
				if ("RECEIPT".equals(frame.command)) {
					receipts.incrementAndGet();
				}
				else {
					error.compareAndSet(null, "producer got " + frame);
				}
				LockSupport.unpark(producerThread);
			});
			byte[] body = new byte[bodySize];
			Arrays.fill(body, (byte) 'p');
			byte[] plain = sendFrame(destination, body, null);
			long start = System.nanoTime();
			long deadline = start + limitNanos;
			long sliceStart = start;
			int batches = 0;
			for (int i = 1; i <= messages && error.get() == null; i++) {
				if (i % RECEIPT_EVERY == 0) {
					producer.write(sendFrame(destination, body, "p" + i));
					batches++;
					producer.flush();
					while (batches - receipts.get() >= RECEIPTS_IN_FLIGHT && error.get() == null
							&& System.nanoTime() < deadline) {
						LockSupport.parkNanos(100_000);
					}
				}
				else {
					producer.write(plain);
				}
				if (sliceSize > 0 && i % sliceSize == 0) {
					// A slice ends when its last RECEIPT is back.
					while (receipts.get() < batches && error.get() == null && System.nanoTime() < deadline) {
						LockSupport.parkNanos(100_000);
					}
					long now = System.nanoTime();
					slices[i / sliceSize - 1] = sliceSize / ((now - sliceStart) / 1e9);
					sliceStart = now;
				}
				if (System.nanoTime() > deadline) {
					error.compareAndSet(null, "produced only " + i + " within the time limit");
				}
			}
			producer.flush();
			while (receipts.get() < batches && error.get() == null && System.nanoTime() < deadline) {
				LockSupport.parkNanos(100_000);
			}
			long produced = receipts.get() * RECEIPT_EVERY;
			produceRate = produced / ((System.nanoTime() - start) / 1e9);
		}
		if (!drain || error.get() != null) {
			return new ProduceDrain(produceRate, 0, slices, error.get());
		}
		ProduceDrain drained = drain(broker, destination, messages, limitNanos);
		return new ProduceDrain(produceRate, drained.drainPerSecond(), slices, drained.error());
	}

	/**
	 * One consumer drains {@code messages} from the queue with client-individual ACKs.
	 */
	static ProduceDrain drain(TcpBroker broker, String destination, int messages, long limitNanos)
			throws IOException, InterruptedException {
		AtomicReference<String> error = new AtomicReference<>();
		double drainRate;
		try (LoadClient consumer = new LoadClient(broker.port())) {
			CountDownLatch done = new CountDownLatch(1);
			AtomicLong received = new AtomicLong();
			// No RECEIPT awaited for the SUBSCRIBE: Artemis may send the first MESSAGE
			// before it.
			long start = System.nanoTime();
			long[] end = new long[1];
			consumer.startReader("persistent-consumer", (frame) -> {
				try {
					if ("MESSAGE".equals(frame.command)) {
						long n = received.incrementAndGet();
						String id = (frame.ack != null) ? frame.ack : frame.messageId;
						consumer.write("ACK\nid:" + id
								+ ((n % RECEIPT_EVERY == 0 || n == messages) ? "\nreceipt:a" + n : "") + "\n\n\0");
					}
					else if ("RECEIPT".equals(frame.command) && frame.receiptId.equals("a" + messages)) {
						end[0] = System.nanoTime();
						done.countDown();
					}
					else if (!"RECEIPT".equals(frame.command)) {
						error.compareAndSet(null, "consumer got " + frame);
						done.countDown();
					}
				}
				catch (IOException ex) {
					error.compareAndSet(null, "ACK failed: " + ex);
					done.countDown();
				}
			});
			consumer.write("SUBSCRIBE\ndestination:" + destination + "\nid:drain\nack:client-individual\n\n\0");
			consumer.flush();
			boolean complete = done.await(limitNanos, TimeUnit.NANOSECONDS);
			if (!complete) {
				error.compareAndSet(null, "drained only " + received.get() + " within the time limit");
			}
			drainRate = received.get() / (((complete ? end[0] : System.nanoTime()) - start) / 1e9);
		}
		return new ProduceDrain(0, drainRate, new double[0], error.get());
	}

	private static byte[] sendFrame(String destination, byte[] body, String receipt) {
		byte[] head = ("SEND\ndestination:" + destination + "\npersistent:true\n"
				+ ((receipt != null) ? "receipt:" + receipt + "\n" : "") + "content-length:" + body.length + "\n\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[head.length + body.length + 1];
		System.arraycopy(head, 0, frame, 0, head.length);
		System.arraycopy(body, 0, frame, head.length, body.length);
		return frame;
	}

}
