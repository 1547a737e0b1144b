package io.github.stompspringboot.broker;

import java.io.IOException;
import java.time.Duration;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames the delivery tests type again and again, spelled out as a client writes them.
 */
final class Stomp {

	private Stomp() {
	}

	static void send(RawStompClient client, String destination, String body, String... headers) throws IOException {
		client.send("SEND\ndestination:" + destination + "\n" + lines(headers) + "\n" + body + "\0");
	}

	/**
	 * Sends and waits for the RECEIPT, so the broker has taken the message when this
	 * returns.
	 */
	static void sendConfirmed(RawStompClient client, String destination, String body, String... headers)
			throws IOException {
		client.send("SEND\ndestination:" + destination + "\nreceipt:r-" + body + "\n" + lines(headers) + "\n" + body
				+ "\0");
		expectReceipt(client, "r-" + body);
	}

	static void subscribe(RawStompClient client, String id, String destination, String ack, String... headers)
			throws IOException {
		client.send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nack:" + ack + "\n" + lines(headers)
				+ "\n\0");
	}

	/**
	 * Subscribes and waits for the RECEIPT; only where no message can arrive before it.
	 */
	static void subscribeConfirmed(RawStompClient client, String id, String destination, String ack, String... headers)
			throws IOException {
		client.send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nack:" + ack + "\nreceipt:sub-" + id
				+ "\n" + lines(headers) + "\n\0");
		expectReceipt(client, "sub-" + id);
	}

	/** A frame with a receipt, and its RECEIPT awaited. */
	static void frame(RawStompClient client, String command, String... headers) throws IOException {
		client.send(command + "\nreceipt:" + command + "-r\n" + lines(headers) + "\n\0");
		expectReceipt(client, command + "-r");
	}

	/** ACKs a 1.2 MESSAGE by its ack header. */
	static void ack(RawStompClient client, Frame message, String... headers) throws IOException {
		client.send("ACK\nid:" + message.header("ack") + "\n" + lines(headers) + "\n\0");
	}

	static void nack(RawStompClient client, Frame message, String... headers) throws IOException {
		client.send("NACK\nid:" + message.header("ack") + "\n" + lines(headers) + "\n\0");
	}

	static Frame message(RawStompClient client) throws IOException {
		Frame frame = client.receive();
		assertThat(frame.command()).as("frame %s", frame).isEqualTo("MESSAGE");
		return frame;
	}

	static Frame message(RawStompClient client, Duration timeout) throws IOException {
		Frame frame = client.receive(timeout);
		assertThat(frame.command()).as("frame %s", frame).isEqualTo("MESSAGE");
		return frame;
	}

	static void expectReceipt(RawStompClient client, String id) throws IOException {
		Frame frame = client.receive();
		assertThat(frame.command()).as("frame %s", frame).isEqualTo("RECEIPT");
		assertThat(frame.header("receipt-id")).isEqualTo(id);
	}

	/** The ERROR a broken rule gets, then the connection closes. */
	static Frame expectError(RawStompClient client) throws IOException {
		Frame frame = client.receive();
		assertThat(frame.command()).as("frame %s", frame).isEqualTo("ERROR");
		assertThat(frame.header("message")).isNotBlank();
		assertThat(client.awaitClosed(Duration.ofSeconds(5))).as("connection closed after ERROR").isTrue();
		return frame;
	}

	private static String lines(String... headers) {
		StringBuilder lines = new StringBuilder();
		for (String header : headers) {
			lines.append(header).append('\n');
		}
		return lines.toString();
	}

}
