package io.github.stompspringboot.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The workloads over loopback TCP, each run against one broker with fresh connections and
 * a fresh destination. Every run is bounded by a message count and a time limit,
 * whichever comes first; the producer keeps at most {@code window} messages in flight
 * (sent, not yet received by the slowest subscriber) so both brokers move messages rather
 * than buffer them.
 */
final class TcpWorkloads {

	static final int BODY_SIZE = 128;

	/** Stamps are nanoseconds since this, so they are never negative. */
	private static final long ORIGIN = System.nanoTime();

	private TcpWorkloads() {
	}

	/**
	 * Messages received per second by all subscribers together, over the whole run, and
	 * the broker's own threads' CPU time over it ({@code -1} when not measured).
	 */
	record Throughput(long received, long nanos, String error, long cpuNanos, long allocatedBytes, long gcCount,
			long systemNanos, long jitMillis) {

		Throughput(long received, long nanos, String error) {
			this(received, nanos, error, -1, -1, -1, -1, -1);
		}

		/** The kernel's part of {@link #cpuMicrosPerMessage()}, NaN if unknown. */
		double systemMicrosPerMessage() {
			return (this.systemNanos >= 0 && this.received > 0) ? this.systemNanos / 1000.0 / this.received
					: Double.NaN;
		}

		/** Bytes the broker's threads allocated per received message, NaN if unknown. */
		double allocatedBytesPerMessage() {
			return (this.allocatedBytes >= 0 && this.received > 0) ? this.allocatedBytes / (double) this.received
					: Double.NaN;
		}

		double perSecond() {
			return (this.nanos > 0) ? this.received * 1e9 / this.nanos : 0;
		}

		/** Broker CPU per received message (a delivery, for a topic), NaN if unknown. */
		double cpuMicrosPerMessage() {
			return (this.cpuNanos >= 0 && this.received > 0) ? this.cpuNanos / 1000.0 / this.received : Double.NaN;
		}

	}

	/** SEND -> MESSAGE latencies of one run, sorted, in nanoseconds. */
	record Latency(long[] sorted, String error) {

		double percentileMicros(double p) {
			if (this.sorted.length == 0) {
				return Double.NaN;
			}
			int index = (int) Math.min(this.sorted.length - 1, Math.ceil(p / 100.0 * this.sorted.length) - 1);
			return this.sorted[Math.max(index, 0)] / 1000.0;
		}

	}

	/**
	 * One producer, {@code subscribers} consumers of {@code destination} (a queue with
	 * one consumer, or a topic fan-out), each SUBSCRIBEd with {@code ackMode}.
	 */
	static Throughput throughput(TcpBroker broker, String destination, int subscribers, String ackMode, int messages,
			long limitNanos, int window) throws IOException, InterruptedException {
		boolean acking = !"auto".equals(ackMode);
		List<LoadClient> clients = new ArrayList<>();
		AtomicLong[] received = new AtomicLong[subscribers];
		AtomicReference<String> error = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(subscribers);
		long[] doneAt = new long[subscribers];
		Thread producerThread = Thread.currentThread();
		int unparkEvery = Math.max(1, window / 4);
		TcpBroker.Meter cpu = null;
		try {
			for (int i = 0; i < subscribers; i++) {
				LoadClient consumer = new LoadClient(broker.port());
				clients.add(consumer);
				consumer.subscribe(destination, "sub-" + i, ackMode);
				AtomicLong count = new AtomicLong();
				received[i] = count;
				int index = i;
				consumer.startReader("consumer-" + i, (frame) -> {
					if (!"MESSAGE".equals(frame.command)) {
						error.compareAndSet(null, "consumer got " + frame);
						LockSupport.unpark(producerThread);
						return;
					}
					if (acking) {
						try {
							consumer.ack(frame);
						}
						catch (IOException ex) {
							error.compareAndSet(null, "ACK failed: " + ex);
						}
					}
					long n = count.incrementAndGet();
					if (n == messages) {
						doneAt[index] = System.nanoTime();
						done.countDown();
						LockSupport.unpark(producerThread);
					}
					else if (n % unparkEvery == 0) {
						LockSupport.unpark(producerThread);
					}
				});
			}
			LoadClient producer = new LoadClient(broker.port());
			clients.add(producer);
			producer.startReader("producer-reader", (frame) -> error.compareAndSet(null, "producer got " + frame));
			byte[] send = sendFrame(destination, body('x'));
			cpu = broker.startMeter();
			long start = System.nanoTime();
			long deadline = start + limitNanos;
			long sent = 0;
			while (sent < messages && error.get() == null) {
				if ((sent & 15) == 0 && sent - slowest(received) >= window) {
					producer.flush();
					while (sent - slowest(received) >= window && error.get() == null) {
						if (System.nanoTime() - deadline > 0) {
							break;
						}
						LockSupport.parkNanos(200_000);
					}
					if (System.nanoTime() - deadline > 0) {
						break;
					}
				}
				producer.write(send);
				sent++;
			}
			producer.flush();
			long remaining = deadline - System.nanoTime();
			boolean complete = remaining > 0 && done.await(remaining, TimeUnit.NANOSECONDS) && error.get() == null;
			long end = complete ? Arrays.stream(doneAt).max().getAsLong() : System.nanoTime();
			TcpBroker.Usage usage = (cpu != null) ? cpu.stop() : new TcpBroker.Usage(-1, -1, -1, -1, -1, -1);
			long total = 0;
			for (AtomicLong count : received) {
				total += count.get();
			}
			return new Throughput(total, end - start, error.get(), usage.cpuNanos(), usage.allocatedBytes(),
					usage.gcCount(), usage.systemNanos(), usage.jitMillis());
		}
		finally {
			for (LoadClient client : clients) {
				client.close();
			}
		}
	}

	/**
	 * One producer sending at a fixed rate to one queue consumer (ack=auto); each body
	 * starts with the time the message was due to be sent, so a producer falling behind
	 * shows as latency.
	 */
	static Latency latency(TcpBroker broker, String destination, int ratePerSecond, int messages, long limitNanos)
			throws IOException, InterruptedException {
		long[] latencies = new long[messages];
		AtomicLong received = new AtomicLong();
		AtomicReference<String> error = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(1);
		List<LoadClient> clients = new ArrayList<>();
		try {
			LoadClient consumer = new LoadClient(broker.port());
			clients.add(consumer);
			consumer.subscribe(destination, "latency", "auto");
			consumer.startReader("latency-consumer", (frame) -> {
				long now = System.nanoTime();
				if (!"MESSAGE".equals(frame.command)) {
					error.compareAndSet(null, "consumer got " + frame);
					done.countDown();
					return;
				}
				int n = (int) received.getAndIncrement();
				if (n < latencies.length) {
					latencies[n] = now - ORIGIN - frame.leadingNumber();
				}
				if (n + 1 == messages) {
					done.countDown();
				}
			});
			LoadClient producer = new LoadClient(broker.port());
			clients.add(producer);
			producer.startReader("producer-reader", (frame) -> error.compareAndSet(null, "producer got " + frame));
			byte[] template = sendFrame(destination, body('x'));
			int bodyStart = template.length - 1 - BODY_SIZE;
			long period = 1_000_000_000L / ratePerSecond;
			long start = System.nanoTime();
			long deadline = start + limitNanos;
			for (int i = 0; i < messages && error.get() == null; i++) {
				long due = start + i * period;
				long now;
				while ((now = System.nanoTime()) < due) {
					LockSupport.parkNanos(due - now);
				}
				if (now - deadline > 0) {
					break;
				}
				stamp(template, bodyStart, due - ORIGIN);
				producer.write(template);
				producer.flush();
			}
			long remaining = deadline - System.nanoTime();
			if (remaining > 0) {
				done.await(remaining, TimeUnit.NANOSECONDS);
			}
			int count = (int) Math.min(received.get(), messages);
			long[] sorted = Arrays.copyOf(latencies, count);
			Arrays.sort(sorted);
			return new Latency(sorted, error.get());
		}
		finally {
			for (LoadClient client : clients) {
				client.close();
			}
		}
	}

	/**
	 * Heap per idle connection: {@code connections} raw loopback sockets each CONNECTed
	 * (1.2, no heart-beats) and left open; the broker's JVM's heap after full collections
	 * with them open minus before, per connection (the broker's end of each socket
	 * included).
	 */
	static double idleConnectionBytes(ForkedBroker broker, int connections) throws IOException {
		List<SocketChannel> clients = new ArrayList<>(connections);
		long before = broker.heapAfterGc();
		try {
			byte[] connect = "CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0"
				.getBytes(StandardCharsets.UTF_8);
			ByteBuffer reply = ByteBuffer.allocate(4096);
			for (int i = 0; i < connections; i++) {
				SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", broker.port()));
				clients.add(channel);
				channel.write(ByteBuffer.wrap(connect));
				reply.clear();
				readUntilNul(channel, reply);
			}
			long after = broker.heapAfterGc();
			return (after - before) / (double) connections;
		}
		finally {
			// DISCONNECT first, as a well-behaved client does: a dropped connection is
			// worth a warning in either broker's log, thousands of them here.
			byte[] disconnect = "DISCONNECT\n\n\0".getBytes(StandardCharsets.UTF_8);
			for (SocketChannel client : clients) {
				try {
					client.write(ByteBuffer.wrap(disconnect));
				}
				catch (IOException ex) {
					// closed anyway below
				}
				client.close();
			}
		}
	}

	private static void readUntilNul(SocketChannel channel, ByteBuffer buffer) throws IOException {
		for (int reads = 0; reads < 100; reads++) {
			int start = buffer.position();
			if (channel.read(buffer) < 0) {
				throw new IOException("Connection closed before CONNECTED");
			}
			for (int i = start; i < buffer.position(); i++) {
				if (buffer.get(i) == 0) {
					return;
				}
			}
		}
		throw new IOException("No complete CONNECTED frame");
	}

	private static long slowest(AtomicLong[] received) {
		long min = Long.MAX_VALUE;
		for (AtomicLong count : received) {
			min = Math.min(min, count.get());
		}
		return min;
	}

	/**
	 * Writes the time as 19 zero-padded digits, so a body holds it whatever its length.
	 */
	private static void stamp(byte[] frame, int offset, long nanos) {
		long value = nanos;
		for (int i = 18; i >= 0; i--) {
			frame[offset + i] = (byte) ('0' + (value % 10));
			value /= 10;
		}
	}

	private static byte[] body(char fill) {
		byte[] body = new byte[BODY_SIZE];
		Arrays.fill(body, (byte) fill);
		return body;
	}

	private static byte[] sendFrame(String destination, byte[] body) {
		byte[] head = ("SEND\ndestination:" + destination + "\ncontent-length:" + body.length + "\n\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] frame = new byte[head.length + body.length + 1];
		System.arraycopy(head, 0, frame, 0, head.length);
		System.arraycopy(body, 0, frame, head.length, body.length);
		return frame;
	}

}
