package io.github.stompspringboot.transport.tcp;

import java.time.Duration;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The telnet session of the seed article (ActiveMQ on 61613), replayed as a person types
 * it: CRLF from the Enter key, NUL from Ctrl-@, an Enter after each NUL.
 */
class SeedTelnetSessionTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@Test
	void telnetSessionFromTheSeedArticleGetsReceipt123() throws Exception {
		try (RawStompClient telnet = new RawStompClient(this.broker.port())) {
			telnet.send("CONNECT\r\n\r\n\0\r\n");
			Frame connected = telnet.receive();
			assertThat(connected.command()).isEqualTo("CONNECTED");
			assertThat(connected.header("version")).isEqualTo("1.0");
			assertThat(connected.header("session")).isNotBlank();
			assertThat(connected.header("server")).startsWith("stomp-spring-boot");
			assertThat(connected.header("heart-beat")).isEqualTo("0,0");

			telnet.send("SEND\r\ndestination:testSTOMP\r\nreceipt:123\r\n\r\nhello\0\r\n");
			Frame receipt = telnet.receive();
			assertThat(receipt.command()).isEqualTo("RECEIPT");
			assertThat(receipt.header("receipt-id")).isEqualTo("123");

			telnet.send("DISCONNECT\r\nreceipt:123\r\n\r\n\0\r\n");
			Frame disconnectReceipt = telnet.receive();
			assertThat(disconnectReceipt.command()).isEqualTo("RECEIPT");
			assertThat(disconnectReceipt.header("receipt-id")).isEqualTo("123");
			assertThat(telnet.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void messageSentByTheTelnetSessionWaitsInTheQueueForALaterSubscriber() throws Exception {
		try (RawStompClient telnet = new RawStompClient(this.broker.port())) {
			telnet.send("CONNECT\r\n\r\n\0\r\n");
			telnet.receive();
			telnet.send("SEND\r\ndestination:testSTOMP\r\nreceipt:123\r\n\r\nhello\0\r\n");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
		}
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:0\ndestination:testSTOMP\n\n\0");
			Frame message = consumer.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.header("destination")).isEqualTo("testSTOMP");
			assertThat(message.header("subscription")).isEqualTo("0");
			assertThat(message.header("message-id")).isNotBlank();
			assertThat(message.bodyText()).isEqualTo("hello");
		}
	}

}
