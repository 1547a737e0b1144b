package io.github.stompspringboot.clients;

import java.nio.charset.StandardCharsets;

import io.github.stompspringboot.support.ExternalClient;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.stompspringboot.support.ExternalClient.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages cross clients of different languages and STOMP versions with their bytes
 * intact: UTF-8 text and a NUL inside the body, which only content-length carries
 * through.
 */
class CrossClientTests {

	private static final byte[] BODY = "héllo wörld ✓\0end".getBytes(StandardCharsets.UTF_8);

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@Test
	void stompPyOnOneTwoSendsAndPhpOnOneZeroReceives() {
		ExternalClient.PHP_STOMP.assumeInstalled();
		ExternalClient.STOMP_PY.run("stomp_py_send.py", this.broker.port(), "/queue/py-to-php", hex(BODY))
			.assertSucceeded();
		String output = ExternalClient.PHP_STOMP
			.run("php_receive.php", this.broker.port(), "/queue/py-to-php", hex(BODY))
			.assertSucceeded()
			.output();
		assertThat(output).contains("OK received");
	}

	@Test
	void phpSendsAndARawSocketClientReceivesBodyAndHeaders() throws Exception {
		ExternalClient.PHP_STOMP
			.run("php_send.php", this.broker.port(), "/queue/php-to-raw", hex(BODY), "app-header=php")
			.assertSucceeded();
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:0\ndestination:/queue/php-to-raw\n\n\0");
			Frame message = consumer.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.body()).isEqualTo(BODY);
			assertThat(message.header("content-length")).isEqualTo(String.valueOf(BODY.length));
			assertThat(message.header("app-header")).isEqualTo("php");
			assertThat(message.header("receipt")).isNull();
		}
	}

	@Test
	void stompPySendsToATopicThatARawSocketSubscriberHears() throws Exception {
		try (RawStompClient subscriber = RawStompClient.connect(this.broker.port(), "1.1")) {
			subscriber.send("SUBSCRIBE\nid:t\ndestination:/topic/py-news\nreceipt:subscribed\n\n\0");
			assertThat(subscriber.receive().command()).isEqualTo("RECEIPT");
			ExternalClient.STOMP_PY
				.run("stomp_py_send.py", this.broker.port(), "/topic/py-news", hex(BODY), "app-header=py")
				.assertSucceeded();
			Frame message = subscriber.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.header("subscription")).isEqualTo("t");
			assertThat(message.header("app-header")).isEqualTo("py");
			assertThat(message.body()).isEqualTo(BODY);
		}
	}

}
