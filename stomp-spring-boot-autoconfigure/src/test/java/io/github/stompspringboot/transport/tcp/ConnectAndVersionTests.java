package io.github.stompspringboot.transport.tcp;

import java.time.Duration;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONNECT and STOMP frames, version negotiation from {@code accept-version}, the
 * CONNECTED frame, and DISCONNECT, as the STOMP 1.2 specification describes them.
 */
class ConnectAndVersionTests {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension()
		.settings((settings) -> settings.setServerName("test-broker/1.0"));

	@Test
	void connectWithoutAcceptVersionSpeaks10() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("CONNECT\n\n\0");
			Frame connected = client.expect("CONNECTED");
			assertThat(connected.header("version")).isEqualTo("1.0");
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', value = { "1.0;1.0", "1.1;1.1", "1.2;1.2", "'1.1,1.2';1.2", "'1.0,1.1';1.1",
			"'1.2,1.0';1.2", "'1.0,1.1,1.2';1.2", "'1.1,2.0';1.1", "' 1.0 , 1.1 ';1.1" })
	void theHighestVersionBothSpeakIsChosen(String acceptVersion, String expected) throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), acceptVersion)) {
			assertThat(client.connected().header("version")).isEqualTo(expected);
		}
	}

	@Test
	void stompFrameConnectsLikeConnect() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("STOMP\naccept-version:1.2\nhost:localhost\n\n\0");
			Frame connected = client.expect("CONNECTED");
			assertThat(connected.header("version")).isEqualTo("1.2");
			client.sendWithReceipt("/queue/after-stomp", "works");
		}
	}

	@Test
	void connectedCarriesVersionHeartBeatSessionAndServer() throws Exception {
		try (RawStompClient first = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient second = RawStompClient.connect(this.broker.port(), "1.2")) {
			Frame connected = first.connected();
			assertThat(connected.header("version")).isEqualTo("1.2");
			assertThat(connected.header("heart-beat")).matches("\\d+,\\d+");
			assertThat(connected.header("session")).isNotBlank();
			assertThat(connected.header("server")).isEqualTo("test-broker/1.0");
			assertThat(second.connected().header("session")).isNotEqualTo(connected.header("session"));
		}
	}

	@Test
	void noCommonVersionGetsErrorListingSupportedVersionsThenClose() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("CONNECT\naccept-version:2.0,3.1\nhost:localhost\n\n\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("version")).isEqualTo("1.0,1.1,1.2");
			assertThat(error.header("message")).contains("1.0,1.1,1.2");
			assertThat(error.bodyText()).contains("2.0,3.1");
			assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
		assertThat(this.broker.broker().connectionCount()).isZero();
	}

	@Test
	void connectWithLoginAndPasscodeIsAcceptedWhileNoSecurityIsConfigured() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:guest\npasscode:guest\n\n\0");
			assertThat(client.expect("CONNECTED").header("version")).isEqualTo("1.2");
		}
	}

	@Test
	void secondConnectIsAnError() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			client.send("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("message")).containsIgnoringCase("already connected");
			assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
	}

	@Test
	void disconnectWithReceiptGetsReceiptThenCleanClose() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			client.send("DISCONNECT\nreceipt:bye-77\n\n\0");
			Frame receipt = client.expect("RECEIPT");
			assertThat(receipt.header("receipt-id")).isEqualTo("bye-77");
			assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
		Awaitility.await().atMost(CLOSE_TIMEOUT).until(() -> this.broker.broker().connectionCount() == 0);
	}

	@Test
	void disconnectWithoutReceiptCloses() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.1")) {
			client.send("DISCONNECT\n\n\0");
			assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
	}

	@Test
	void sessionsEndedByDisconnectFreeTheirSubscriptions() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			client.subscribe("1", "/queue/freed", null);
			assertThat(this.broker.broker().destinations().find("/queue/freed").consumerCount()).isOne();
			client.send("DISCONNECT\nreceipt:bye\n\n\0");
			client.expect("RECEIPT");
			assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
		// Its last consumer gone and nothing in it, the queue itself is reclaimed.
		assertThat(this.broker.broker().destinations().find("/queue/freed")).isNull();
	}

}
