package io.github.stompspringboot.transport.tcp;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Stopping the broker tells every connected client why before closing it, and frees the
 * port.
 */
class ShutdownTests {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	@Test
	void stoppingSendsEveryConnectedClientAnErrorClosesItAndFreesThePort() throws Exception {
		EmbeddedBroker broker = EmbeddedBroker.start();
		int port = broker.port();
		try (RawStompClient v12 = RawStompClient.connect(port, "1.2");
				RawStompClient v10 = RawStompClient.connect(port, "1.0");
				RawStompClient subscriber = RawStompClient.connect(port, "1.1");
				RawStompClient notYetConnected = broker.client()) {
			subscriber.subscribe("1", "/queue/at-shutdown", null);
			v12.sendWithReceipt("/queue/pending", "left behind");
			broker.close();

			for (RawStompClient client : new RawStompClient[] { v12, v10, subscriber }) {
				Frame error = client.expect("ERROR");
				assertThat(error.header("message")).containsIgnoringCase("shutting down");
				assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
			}
			assertThat(notYetConnected.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
		finally {
			broker.close();
		}
		try (ServerSocket rebound = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
			assertThat(rebound.getLocalPort()).isEqualTo(port);
		}
	}

	@Test
	void stoppingAnIdleBrokerFreesThePort() throws Exception {
		EmbeddedBroker broker = EmbeddedBroker.start();
		int port = broker.port();
		broker.close();
		try (ServerSocket rebound = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
			assertThat(rebound.getLocalPort()).isEqualTo(port);
		}
	}

	@Test
	void stoppingTwiceIsHarmless() throws Exception {
		EmbeddedBroker broker = EmbeddedBroker.start();
		try (RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			broker.close();
			broker.close();
			assertThat(client.expect("ERROR").header("message")).containsIgnoringCase("shutting down");
		}
	}

	@Test
	void noNewConnectionsAreAcceptedAfterStop() throws Exception {
		EmbeddedBroker broker = EmbeddedBroker.start();
		int port = broker.port();
		broker.close();
		assertThat(broker.broker().connectionCount()).isZero();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new RawStompClient(port).close());
	}

}
