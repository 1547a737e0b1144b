package io.github.stompspringboot.websocket;

import java.time.Duration;

import io.github.stompspringboot.support.ActiveMqClassicBroker;
import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Received;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
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
 * Classic from Debian's {@code activemq} package: the browser tests the project runs
 * against its own broker, RabbitMQ and Artemis.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.mode=relay", "server.address=127.0.0.1" })
class ActiveMqClassicRelayBrowserMessagingTests extends AbstractBrowserMessagingTests {

	private static ActiveMqClassicBroker activeMq;

	@Autowired
	private StompBrokerRelayMessageHandler relay;

	@BeforeAll
	static void startActiveMq() throws Exception {
		activeMq = ActiveMqClassicBroker.start();
	}

	@AfterAll
	static void stopActiveMq() throws Exception {
		if (activeMq != null) {
			activeMq.close();
		}
	}

	@DynamicPropertySource
	static void relayToActiveMq(DynamicPropertyRegistry registry) {
		registry.add("stomp.broker.relay.addresses", () -> "127.0.0.1:" + activeMq.stompPort());
	}

	@Override
	protected String nackDiffers() {
		return "ActiveMQ Classic takes a STOMP NACK as a poison ack: the message goes to the dead-letter "
				+ "queue if persistent, else (as SimpMessagingTemplate sends it) is dropped; "
				+ "nackedMessageIsNotDeliveredAgain proves it";
	}

	@Test
	void nackedMessageIsNotDeliveredAgain() throws Exception {
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
	void relayReachesActiveMq() {
		await().atMost(Duration.ofSeconds(10)).until(this.relay::isBrokerAvailable);
		System.out.println("Relayed to " + activeMq.version());
	}

}
