package io.github.stompspringboot.support;

import java.io.IOException;

import io.github.stompspringboot.support.RawStompClient.Frame;

/**
 * An innocent producer and consumer pair that keeps exchanging messages on its own queue
 * while a test attacks the broker, and counts them: every message sent must arrive.
 */
public final class Bystander implements AutoCloseable {

	private final RawStompClient producer;

	private final RawStompClient consumer;

	private final String destination;

	private int sent;

	private int received;

	private Bystander(RawStompClient producer, RawStompClient consumer, String destination) {
		this.producer = producer;
		this.consumer = consumer;
		this.destination = destination;
	}

	/**
	 * Connects both with the given CONNECT headers (such as a login) and subscribes the
	 * consumer.
	 */
	public static Bystander start(int port, String destination, String connectHeaders) throws IOException {
		RawStompClient producer = new RawStompClient(port);
		RawStompClient consumer = new RawStompClient(port);
		for (RawStompClient client : new RawStompClient[] { producer, consumer }) {
			client.send("CONNECT\naccept-version:1.2\nhost:localhost\n" + connectHeaders + "\n\0");
			Frame connected = client.receive();
			if (!"CONNECTED".equals(connected.command())) {
				throw new IllegalStateException("Bystander could not connect: " + connected);
			}
		}
		consumer.send("SUBSCRIBE\nid:bystander\ndestination:" + destination + "\nreceipt:sub\n\n\0");
		Frame receipt = consumer.receive();
		if (!"RECEIPT".equals(receipt.command())) {
			throw new IllegalStateException("Bystander could not subscribe: " + receipt);
		}
		return new Bystander(producer, consumer, destination);
	}

	public static Bystander start(int port) throws IOException {
		return start(port, "/queue/bystander", "");
	}

	/**
	 * Sends {@code count} messages and reads them back; fails if one does not arrive in
	 * time.
	 */
	public void exchange(int count) throws IOException {
		for (int i = 0; i < count; i++) {
			this.producer.send("SEND\ndestination:" + this.destination + "\n\nbystander-" + this.sent + "\0");
			this.sent++;
		}
		for (int i = 0; i < count; i++) {
			Frame message = this.consumer.receive();
			if (!"MESSAGE".equals(message.command())) {
				throw new IllegalStateException("Bystander expected a MESSAGE but got " + message);
			}
			this.received++;
		}
	}

	public int sent() {
		return this.sent;
	}

	public int received() {
		return this.received;
	}

	@Override
	public void close() throws IOException {
		this.producer.close();
		this.consumer.close();
	}

}
