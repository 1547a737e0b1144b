package io.github.stompspringboot.test.readme;

import java.time.Duration;

import io.github.stompspringboot.test.EmbeddedStompBroker;
import io.github.stompspringboot.test.LocalStompPort;
import io.github.stompspringboot.test.StompFrame;
import io.github.stompspringboot.test.StompTestBroker;
import io.github.stompspringboot.test.StompTestClient;
import io.github.stompspringboot.test.StompTestClient.Subscription;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Testing your app" examples, verbatim but for the nesting, run as they
 * are.
 */
class ChatApplicationTests {

	// README: begin
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	static class ChatControllerTests {

		@LocalServerPort
		int httpPort;

		@LocalStompPort // the STOMP TCP listener: a free port in every test context
		int stompPort;

		@Test
		void aBrowsersMessageReachesTcpSubscribers() throws Exception {
			try (StompTestClient browser = StompTestClient.webSocket("ws://127.0.0.1:" + this.httpPort + "/stomp")
				.connect(); StompTestClient telnet = StompTestClient.tcp(this.stompPort).connect()) {
				// returns once the RECEIPT is in
				Subscription room = telnet.subscribe("/topic/chat");
				// to the @MessageMapping("/chat") method
				browser.send("/app/chat", "hello");
				assertThat(room.awaitMessage(Duration.ofSeconds(5)).body()).isEqualTo("hello");
			}
		}

	}

	@EmbeddedStompBroker // a fresh broker on a free port for each test, no Spring context
	static class OrderQueueTests {

		@Test
		void aNackedOrderComesBack(StompTestBroker broker) throws Exception {
			try (StompTestClient client = broker.client().connect()) {
				Subscription orders = client.subscribe("/queue/orders", "client-individual");
				client.send("/queue/orders", "order-1");
				client.nack(orders.awaitMessage());
				StompFrame again = orders.awaitMessage();
				assertThat(again.body()).isEqualTo("order-1");
				client.ack(again);
			}
		}

	}
	// README: end

}
