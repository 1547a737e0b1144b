package io.github.stompspringboot.transport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every resource a client can grow has a limit; going over it gets an ERROR naming the
 * limit, then the connection closes, and the broker never buffers much past the limit to
 * find out.
 */
class LimitTests {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static EmbeddedBroker broker(Consumer<BrokerSettings> customizer) {
		return EmbeddedBroker.start(customizer);
	}

	private static byte[] sendFrame(String destination, byte[] body, boolean withContentLength) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		String headers = "SEND\ndestination:" + destination + "\n"
				+ (withContentLength ? "content-length:" + body.length + "\n" : "") + "\n";
		frame.writeBytes(headers.getBytes(StandardCharsets.UTF_8));
		frame.writeBytes(body);
		frame.write(0);
		return frame.toByteArray();
	}

	private static byte[] body(int size) {
		byte[] body = new byte[size];
		Arrays.fill(body, (byte) 'b');
		return body;
	}

	private static void assertRejected(RawStompClient client, String expectedInMessage) throws IOException {
		Frame error = client.expect("ERROR");
		assertThat(error.header("message")).contains(expectedInMessage);
		assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
	}

	@Test
	void bodyAtTheFrameSizeLimitPassesAndOneByteMoreIsRejected() throws Exception {
		int limit = 1024 * 1024;
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxFrameSize(limit))) {
			for (boolean withContentLength : new boolean[] { true, false }) {
				try (RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
					client.subscribe("1", "/queue/big", null);
					client.send(sendFrame("/queue/big", body(limit), withContentLength));
					Frame message = client.expect("MESSAGE");
					assertThat(message.body()).hasSize(limit);
					assertThat(message.header("content-length")).isEqualTo(String.valueOf(limit));

					client.send(sendFrame("/queue/big", body(limit + 1), withContentLength));
					assertRejected(client, "Frame too large");
				}
			}
		}
	}

	@Test
	void contentLengthOverTheLimitIsRejectedBeforeTheBodyIsSent() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxFrameSize(1000));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			client.send("SEND\ndestination:/queue/a\ncontent-length:999999999999\n\n");
			assertRejected(client, "Frame too large");
		}
	}

	@Test
	void hugeBodyWithoutNulIsRejectedLongBeforeItIsAllSent() throws Exception {
		long total = 100L * 1024 * 1024;
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxFrameSize(1024 * 1024));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			CompletableFuture<Long> sent = flood(client, "SEND\ndestination:/queue/flood\n\n", (byte) 'x', total);
			assertRejected(client, "Frame too large");
			assertThat(sent.get(30, TimeUnit.SECONDS)).as("bytes the client got to send").isLessThan(total / 5);
		}
	}

	@Test
	void endlessHeaderLineIsRejectedLongBeforeItIsAllSent() throws Exception {
		long total = 100L * 1024 * 1024;
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxHeaderLength(8 * 1024));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			CompletableFuture<Long> sent = flood(client, "SEND\ndestination:/queue/flood\nx:", (byte) 'x', total);
			assertRejected(client, "Header line too long");
			assertThat(sent.get(30, TimeUnit.SECONDS)).as("bytes the client got to send").isLessThan(total / 5);
		}
	}

	/**
	 * Writes the prefix then filler bytes on another thread until the total or until the
	 * broker hangs up.
	 */
	private static CompletableFuture<Long> flood(RawStompClient client, String prefix, byte filler, long total) {
		return CompletableFuture.supplyAsync(() -> {
			byte[] chunk = new byte[64 * 1024];
			Arrays.fill(chunk, filler);
			long sent = 0;
			try {
				client.send(prefix);
				while (sent < total) {
					client.send(chunk);
					sent += chunk.length;
				}
			}
			catch (IOException ex) {
				// the broker closed the connection: what we want
			}
			return sent;
		});
	}

	@Test
	void headerCountOverTheLimitIsRejected() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxHeaders(5));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			client.send("SEND\ndestination:/queue/h\nreceipt:five\na:1\nb:2\nc:3\n\nx\0");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("five");
			client.send("SEND\ndestination:/queue/h\nreceipt:six\na:1\nb:2\nc:3\nd:4\n\nx\0");
			assertRejected(client, "Too many headers");
		}
	}

	@Test
	void repeatedHeadersCountTowardsTheLimit() throws Exception {
		StringBuilder frame = new StringBuilder("SEND\ndestination:/queue/h\n");
		for (int i = 0; i < 1000; i++) {
			frame.append("same:").append(i).append('\n');
		}
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxHeaders(100));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			client.send(frame.append("\nx\0").toString());
			assertRejected(client, "Too many headers");
		}
	}

	@Test
	void headerLineOverTheLimitIsRejected() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxHeaderLength(100));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			String atLimit = "x:" + "v".repeat(98);
			client.send("SEND\ndestination:/queue/h\nreceipt:ok\n" + atLimit + "\n\nx\0");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("ok");
			client.send("SEND\ndestination:/queue/h\n" + atLimit + "v\n\nx\0");
			assertRejected(client, "Header line too long");
		}
	}

	@Test
	void commandLineOverTheLimitIsRejected() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxHeaderLength(100));
				RawStompClient client = broker.client()) {
			client.send("C".repeat(500));
			assertRejected(client, "Header line too long");
		}
	}

	@Test
	void subscriptionsOverTheLimitAreRejected() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxSubscriptionsPerConnection(3));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			for (int i = 0; i < 3; i++) {
				client.subscribe("s" + i, "/topic/t" + i, null);
			}
			client.send("UNSUBSCRIBE\nid:s0\nreceipt:u\n\n\0");
			client.expect("RECEIPT");
			client.subscribe("s3", "/topic/t3", null);
			client.send("SUBSCRIBE\nid:s4\ndestination:/topic/t4\n\n\0");
			assertRejected(client, "Too many subscriptions");
		}
	}

	@Test
	void connectionsOverTheLimitAreRejectedAndAFreedSlotCanBeReused() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setMaxConnections(2))) {
			List<RawStompClient> clients = new ArrayList<>();
			try {
				clients.add(RawStompClient.connect(broker.port(), "1.2"));
				clients.add(RawStompClient.connect(broker.port(), "1.2"));
				RawStompClient third = broker.client();
				clients.add(third);
				third.send("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
				assertRejected(third, "Too many connections");
				assertThat(broker.broker().connectionCount()).isEqualTo(2);

				clients.get(0).send("DISCONNECT\nreceipt:bye\n\n\0");
				clients.get(0).expect("RECEIPT");
				Awaitility.await().atMost(CLOSE_TIMEOUT).until(() -> broker.broker().connectionCount() == 1);
				clients.add(RawStompClient.connect(broker.port(), "1.2"));
				clients.get(1).sendWithReceipt("/queue/still", "works");
			}
			finally {
				for (RawStompClient client : clients) {
					client.close();
				}
			}
		}
	}

	@Test
	void connectionWithoutConnectInTimeGetsErrorAndIsClosed() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setConnectTimeout(Duration.ofMillis(300)));
				RawStompClient connected = RawStompClient.connect(broker.port(), "1.2")) {
			long start = System.nanoTime();
			RawStompClient idle = broker.client();
			Frame error = idle.receive(Duration.ofSeconds(5));
			assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).contains("CONNECT");
			assertThat(idle.awaitClosed(CLOSE_TIMEOUT)).isTrue();
			idle.close();
			connected.sendWithReceipt("/queue/unaffected", "fine");
		}
	}

	@Test
	void halfAFrameDoesNotStopTheConnectTimeout() throws Exception {
		try (EmbeddedBroker broker = broker((settings) -> settings.setConnectTimeout(Duration.ofMillis(300)));
				RawStompClient slow = broker.client()) {
			slow.send("CONNECT\naccept-version:1.2\n");
			assertRejected(slow, "CONNECT");
		}
	}

}
