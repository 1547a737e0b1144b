package io.github.stompspringboot.websocket;

import java.time.Duration;

import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Received;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.EmbeddedArtemis;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same application, unchanged, with {@code stomp.broker.mode=relay} against ActiveMQ
 * Artemis (embedded from Maven Central, a STOMP acceptor with
 * {@code anycastPrefix=/queue/} and {@code multicastPrefix=/topic/}): the browser tests
 * the project runs against its own broker and RabbitMQ.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.mode=relay", "server.address=127.0.0.1" })
class ArtemisRelayBrowserMessagingTests extends AbstractBrowserMessagingTests {

	private static EmbeddedArtemis artemis;

	@Autowired
	private StompBrokerRelayMessageHandler relay;

	@BeforeAll
	static void startArtemis() throws Exception {
		artemis = EmbeddedArtemis.start();
	}

	@AfterAll
	static void stopArtemis() throws Exception {
		if (artemis != null) {
			artemis.close();
		}
	}

	@DynamicPropertySource
	static void relayToArtemis(DynamicPropertyRegistry registry) {
		registry.add("stomp.broker.relay.addresses", () -> "127.0.0.1:" + artemis.stompPort());
	}

	@Override
	protected String nackDiffers() {
		return "Artemis discards a NACKed message (ARTEMIS-1983); nackedMessageIsDiscarded proves it";
	}

	@Test
	void nackedMessageIsDiscarded() throws Exception {
		String queue = unique("/queue/retries.");
		try (BrowserStompClient worker = browser(Transport.WEBSOCKET, "worker")) {
			Subscription jobs = worker.subscribe(queue, "client-individual");
			this.template.convertAndSend(queue, "flaky job");
			Received first = jobs.next();
			jobs.nack(first);
			// the next message on the same queue comes first: the NACKed one is gone
			this.template.convertAndSend(queue, "next job");
			assertThat(jobs.next().body()).isEqualTo("next job");
		}
	}

	@Test
	void relayReachesArtemis() {
		await().atMost(Duration.ofSeconds(10)).until(this.relay::isBrokerAvailable);
		System.out.println("Relayed to " + artemis.version());
	}

}
