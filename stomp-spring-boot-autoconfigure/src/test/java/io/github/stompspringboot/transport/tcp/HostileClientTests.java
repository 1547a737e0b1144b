package io.github.stompspringboot.transport.tcp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.stompspringboot.broker.Destination;
import io.github.stompspringboot.support.Bystander;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that mean harm, over real sockets: each gets its ERROR or is closed, the
 * broker's heap stays within a generous bound, and a bystander producer and consumer on
 * the same broker lose no message meanwhile.
 */
class HostileClientTests {

	/**
	 * Generous: the point is that nothing grows with what the attacker claims or repeats.
	 */
	private static final long HEAP_BOUND = 64L * 1024 * 1024;

	private EmbeddedBroker broker;

	private Bystander bystander;

	private long heapBefore;

	@BeforeEach
	void start() throws IOException {
		this.broker = EmbeddedBroker.start((settings) -> settings.setConnectTimeout(Duration.ofMillis(500))
			.setHeartbeatSend(Duration.ZERO)
			.setHeartbeatReceive(Duration.ofMillis(200)));
		this.bystander = Bystander.start(this.broker.port());
		this.bystander.exchange(10);
		this.heapBefore = usedHeapAfterGc();
	}

	@AfterEach
	void stop() throws IOException {
		try {
			this.bystander.exchange(10);
			assertThat(this.bystander.received()).isEqualTo(this.bystander.sent());
			assertThat(usedHeapAfterGc() - this.heapBefore).as("heap growth").isLessThan(HEAP_BOUND);
		}
		finally {
			this.bystander.close();
			this.broker.close();
		}
	}

	private static long usedHeapAfterGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static void assertError(RawStompClient client, String message) throws IOException {
		Frame error = client.receive(Duration.ofSeconds(10));
		assertThat(error.command()).isEqualTo("ERROR");
		assertThat(error.header("message")).isEqualTo(message);
		assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
	}

	@Test
	void connectionsThatNeverSendConnectAreClosedAfterTheConnectTimeout() throws Exception {
		List<RawStompClient> silent = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				silent.add(this.broker.client());
			}
			this.bystander.exchange(20);
			for (RawStompClient client : silent) {
				assertError(client, "No CONNECT frame in time");
			}
		}
		finally {
			for (RawStompClient client : silent) {
				client.close();
			}
		}
		assertThat(this.broker.broker().connectionCount()).isEqualTo(2);
	}

	@Test
	void headerBombOfTooManyHeadersGetsAnError() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			StringBuilder frame = new StringBuilder("SEND\ndestination:/queue/bomb\n");
			for (int i = 0; i < 100_000; i++) {
				frame.append("h").append(i).append(":v\n");
			}
			frame.append("\nx\0");
			sendIgnoringReset(client, frame.toString().getBytes(StandardCharsets.UTF_8));
			assertError(client, "Too many headers");
		}
	}

	@Test
	void headerBombOfOneEndlessLineGetsAnErrorWithoutBeingBuffered() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			byte[] chunk = new byte[64 * 1024];
			Arrays.fill(chunk, (byte) 'a');
			client.send("SEND\ndestination:/queue/bomb\nx-bomb:");
			// 32 MB of one header value, far past the 8 KB line limit; the broker stops
			// reading it
			for (int i = 0; i < 512; i++) {
				if (!sendIgnoringReset(client, chunk)) {
					break;
				}
			}
			assertError(client, "Header line too long");
		}
	}

	@Test
	void hugeContentLengthIsRefusedBeforeAnyBodyArrives() throws Exception {
		for (String length : List.of("4194305", "1099511627776", "99999999999999999999999")) {
			try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
				client.send("SEND\ndestination:/queue/big\ncontent-length:" + length + "\n\n");
				Frame error = client.receive();
				assertThat(error.header("message")).isIn("Frame too large", "Invalid content-length '" + length + "'");
				assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			}
		}
	}

	@Test
	void contentLengthJustUnderTheLimitWithNoBodyHoldsNoMemoryAndEndsAtTheHeartBeatTimeout() throws Exception {
		List<RawStompClient> claimers = new ArrayList<>();
		try {
			for (int i = 0; i < 40; i++) {
				RawStompClient client = new RawStompClient(this.broker.port());
				claimers.add(client);
				client.send("CONNECT\naccept-version:1.2\nheart-beat:200,0\n\n\0");
				assertThat(client.receive().command()).isEqualTo("CONNECTED");
				// claims 4 MB - 1 of body: 40 of them would be 160 MB if the broker
				// reserved it
				client.send("SEND\ndestination:/queue/big\ncontent-length:4194303\n\npartial");
			}
			this.bystander.exchange(20);
			for (RawStompClient client : claimers) {
				assertError(client, "Heart-beat timeout");
			}
		}
		finally {
			for (RawStompClient client : claimers) {
				client.close();
			}
		}
	}

	@Test
	void tenThousandSubscriptionsOnOneConnectionStopAtTheLimit() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			StringBuilder frames = new StringBuilder();
			for (int i = 0; i < 10_000; i++) {
				frames.append("SUBSCRIBE\nid:")
					.append(i)
					.append("\ndestination:/topic/many.")
					.append(i % 50)
					.append("\n\n\0");
			}
			sendIgnoringReset(client, frames.toString().getBytes(StandardCharsets.UTF_8));
			assertError(client, "Too many subscriptions");
		}
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (Destination destination : this.broker.broker().destinations().all()) {
				if (destination.name().startsWith("/topic/many.")) {
					assertThat(destination.consumerCount()).isZero();
				}
			}
		});
	}

	@Test
	void endlessOpenTransactionStopsAtItsFrameLimitAndNothingOfItIsDelivered() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			client.send("BEGIN\ntransaction:endless\n\n\0");
			String send = "SEND\ndestination:/queue/endless\ntransaction:endless\n\n" + "x".repeat(16 * 1024) + "\0";
			// far past max-frames-per-transaction (1000), never a COMMIT
			for (int i = 0; i < 3000; i++) {
				if (!sendIgnoringReset(client, send.getBytes(StandardCharsets.UTF_8))) {
					break;
				}
			}
			assertError(client, "Transaction 'endless' is too large");
		}
		Destination queue = this.broker.broker().destinations().find("/queue/endless");
		assertThat((queue != null) ? queue.depth() : 0).isZero();
	}

	@Test
	void transactionsLeftOpenByADisconnectingClientAreDropped() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			for (int t = 0; t < 10; t++) {
				client.send("BEGIN\ntransaction:t" + t + "\n\n\0");
				for (int i = 0; i < 100; i++) {
					client.send(
							"SEND\ndestination:/queue/abandoned\ntransaction:t" + t + "\n\n" + "y".repeat(1024) + "\0");
				}
			}
			client.send("DISCONNECT\nreceipt:bye\n\n\0");
			assertThat(client.receive().header("receipt-id")).isEqualTo("bye");
		}
		Destination queue = this.broker.broker().destinations().find("/queue/abandoned");
		assertThat((queue != null) ? queue.depth() : 0).isZero();
	}

	@Test
	void garbageInsteadOfFramesGetsAnError() throws Exception {
		try (RawStompClient client = this.broker.client()) {
			byte[] garbage = new byte[4096];
			new java.util.Random(42).nextBytes(garbage);
			garbage[0] = 'X';
			sendIgnoringReset(client, garbage);
			Frame error = client.receive();
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).startsWith("Unknown command");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
	}

	/**
	 * Writes what it can: once the broker has answered with an ERROR and closed, writing
	 * fails.
	 */
	private static boolean sendIgnoringReset(RawStompClient client, byte[] bytes) {
		try {
			client.send(bytes);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
