package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heart-beats as the STOMP specification negotiates them: each side beats at the slower
 * of what one offers and the other wants, not at all if either says 0; the broker beats
 * on time and drops a client silent for longer than the interval times the grace factor.
 */
class HeartBeatTests {

	/**
	 * The CONNECTED frame answers with the negotiated intervals: the broker sends every
	 * max(server send, client receive) ms and expects every max(server receive, client
	 * send) ms.
	 */
	@ParameterizedTest(name = "server {0},{1} + client {2} -> {3}")
	@CsvSource(delimiter = ';',
			value = { "1000;2000;'';0,0", "1000;2000;0,0;0,0", "1000;2000;500,500;1000,2000",
					"1000;2000;3000,4000;4000,3000", "1000;2000;0,4000;4000,0", "1000;2000;3000,0;0,3000",
					"0;0;1000,1000;0,0", "0;2000;1000,1000;0,2000", "1000;0;1000,1000;1000,0" })
	void connectedTellsTheNegotiatedHeartBeat(long serverSend, long serverReceive, String client, String expected)
			throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker
			.start((settings) -> settings.setHeartbeatSend(Duration.ofMillis(serverSend))
				.setHeartbeatReceive(Duration.ofMillis(serverReceive)));
				RawStompClient connection = RawStompClient.connect(broker.port(), "1.2",
						client.isEmpty() ? "" : "heart-beat:" + client + "\n")) {
			assertThat(connection.connected().header("heart-beat")).isEqualTo(expected);
		}
	}

	@Test
	void brokerSendsHeartBeatsOnTime() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker
			.start((settings) -> settings.setHeartbeatSend(Duration.ofMillis(200)).setHeartbeatReceive(Duration.ZERO));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2", "heart-beat:0,200\n")) {
			assertThat(client.connected().header("heart-beat")).isEqualTo("200,0");
			byte[] bytes = client.readFor(Duration.ofSeconds(2));
			// every 200 ms over 2 s is 10 beats; the broker may beat early but never miss
			// one
			assertThat(new String(bytes, StandardCharsets.US_ASCII)).as("only EOLs").matches("\n*");
			assertThat(bytes.length).isBetween(5, 25);
		}
	}

	@Test
	void noHeartBeatsWhenTheClientAsksForNone() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker
			.start((settings) -> settings.setHeartbeatSend(Duration.ofMillis(100)).setHeartbeatReceive(Duration.ZERO));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2", "heart-beat:0,0\n")) {
			assertThat(client.readFor(Duration.ofMillis(600))).isEmpty();
		}
	}

	@Test
	void silentClientIsClosedWithAnErrorAfterIntervalTimesGraceFactor() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((settings) -> settings.setHeartbeatSend(Duration.ZERO)
			.setHeartbeatReceive(Duration.ofMillis(200))
			.setHeartbeatGraceFactor(1.5));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2", "heart-beat:200,0\n")) {
			assertThat(client.connected().header("heart-beat")).isEqualTo("0,200");
			long start = System.nanoTime();
			Frame error = client.receive(Duration.ofSeconds(5));
			long silentMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).containsIgnoringCase("heart-beat");
			assertThat(silentMillis).as("not before 200 ms x 1.5").isGreaterThanOrEqualTo(250);
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().connectionCount() == 0);
		}
	}

	@Test
	void clientThatKeepsBeatingStaysConnected() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((settings) -> settings.setHeartbeatSend(Duration.ZERO)
			.setHeartbeatReceive(Duration.ofMillis(300))
			.setHeartbeatGraceFactor(2));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2", "heart-beat:300,0\n")) {
			// three times the grace period
			long end = System.nanoTime() + Duration.ofMillis(1800).toNanos();
			for (int i = 0; i < 100 && System.nanoTime() < end; i++) {
				// beat far more often than asked: a loaded build machine may stall this
				// thread
				client.send(((i % 2) == 0) ? "\n" : "\r\n");
				assertThat(client.isOpen(Duration.ofMillis(50))).isTrue();
			}
			client.sendWithReceipt("/queue/alive", "still connected");
		}
	}

	@Test
	void framesCountAsSignsOfLife() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((settings) -> settings.setHeartbeatSend(Duration.ZERO)
			.setHeartbeatReceive(Duration.ofMillis(300))
			.setHeartbeatGraceFactor(2));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2", "heart-beat:300,0\n")) {
			for (int i = 0; i < 20; i++) {
				client.sendWithReceipt("/queue/busy", "frame " + i);
				assertThat(client.isOpen(Duration.ofMillis(50))).isTrue();
			}
		}
	}

	@Test
	void brokerBeatsAndWatchesBothWaysAtOnce() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker
			.start((settings) -> settings.setHeartbeatSend(Duration.ofMillis(150))
				.setHeartbeatReceive(Duration.ofMillis(300))
				.setHeartbeatGraceFactor(2));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2", "heart-beat:300,150\n")) {
			assertThat(client.connected().header("heart-beat")).isEqualTo("150,300");
			int received = 0;
			for (int i = 0; i < 24; i++) {
				client.send("\n");
				byte[] bytes = client.readFor(Duration.ofMillis(50));
				assertThat(new String(bytes, StandardCharsets.US_ASCII)).as("only EOLs").matches("\n*");
				received += bytes.length;
			}
			assertThat(received).as("beats over 1.2 s at 150 ms").isBetween(3, 25);
			client.sendWithReceipt("/queue/both-ways", "alive");
		}
	}

}
