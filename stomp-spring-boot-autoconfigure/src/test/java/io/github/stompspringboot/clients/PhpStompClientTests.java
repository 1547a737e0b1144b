package io.github.stompspringboot.clients;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.stompspringboot.support.ExternalClient;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PHP's Stomp extension (php-stomp 2.0.x) against the broker. It connects as STOMP 1.0
 * unless told otherwise, subscribes with {@code ack:client}, and reads one byte past
 * every frame's NUL when more is buffered, which is why the broker ends frames with NUL
 * and an EOL.
 */
class PhpStompClientTests {

	private static final ExternalClient PHP = ExternalClient.PHP_STOMP;

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@BeforeEach
	void clientInstalled() {
		PHP.assumeInstalled();
	}

	@Test
	void seedExampleReadsBackAndAcknowledgesItsMessage() {
		String output = PHP.run("php_seed_example.php", this.broker.port()).assertSucceeded().output();
		assertThat(output).contains("object(StompFrame)")
			.contains("string(7) \"MESSAGE\"")
			.contains("string(10) \"/queue/foo\"")
			.contains("string(3) \"bar\"")
			.doesNotContain("Connection failed")
			.doesNotContain("Warning");
		// The ACK settled it: once the session is gone nothing went back to the queue.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.broker.broker().connectionCount() == 0);
		assertThat(this.broker.broker().destinations().depth("/queue/foo")).isZero();
	}

	@Test
	void receiptsAndAcksOnStompOneTwoWithMessagesArrivingBackToBack() {
		String output = PHP.run("php_receipts.php", this.broker.port(), "/queue/php-receipts")
			.assertSucceeded()
			.output();
		assertThat(output).contains("OK receipt subscribe-1", "OK body of frame 3 is 'message 3'", "OK receipt ack-3",
				"OK receipt unsubscribe-1", "DONE");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.broker.broker().connectionCount() == 0);
		assertThat(this.broker.broker().destinations().depth("/queue/php-receipts")).isZero();
	}

	@Test
	void everyFrameEndsWithNulAndOneEolOnTheWire() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
			client
				.send("SEND\ndestination:/queue/wire\n\nx\0SUBSCRIBE\nid:0\ndestination:/queue/wire\nreceipt:r\n\n\0");
			byte[] bytes = readUntilReceipt(client);
			String wire = new String(bytes, StandardCharsets.UTF_8);
			assertThat(wire).startsWith("CONNECTED\n").contains("\0\nMESSAGE\n").endsWith("receipt-id:r\n\n\0\n");
		}
	}

	private static byte[] readUntilReceipt(RawStompClient client) throws Exception {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (System.nanoTime() < deadline) {
			all.write(client.readFor(Duration.ofMillis(200)));
			if (all.toString(StandardCharsets.UTF_8).endsWith("receipt-id:r\n\n\0\n")) {
				break;
			}
		}
		return all.toByteArray();
	}

}
