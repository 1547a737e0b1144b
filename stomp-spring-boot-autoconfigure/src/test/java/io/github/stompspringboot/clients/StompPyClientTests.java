package io.github.stompspringboot.clients;

import java.time.Duration;

import io.github.stompspringboot.broker.Destination;
import io.github.stompspringboot.support.ExternalClient;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debian's stomp.py (python3-stomp, 8.x) against the broker: the seed article's demo,
 * receipts and a client-ack subscription.
 */
class StompPyClientTests {

	private static final ExternalClient STOMP_PY = ExternalClient.STOMP_PY;

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@BeforeEach
	void clientInstalled() {
		STOMP_PY.assumeInstalled();
	}

	@Test
	void seedDemoListenerReceivesTheJsonMessageItSent() {
		String output = STOMP_PY.run("stomp_py_demo.py", this.broker.port()).assertSucceeded().output();
		assertThat(output).contains("stomp.py 8.").contains("connected!").contains("OK demo round trip");
		assertThat(output).contains("received a message {\"order\": \"1\"}")
			.contains("'send_id': '123'")
			.contains("'subscription': '9527'")
			.doesNotContain("received an error");
	}

	@Test
	void sendSubscribeAndDisconnectGetTheReceiptsTheyAskFor() {
		String output = STOMP_PY.run("stomp_py_receipt.py", this.broker.port(), "/queue/py-receipts")
			.assertSucceeded()
			.output();
		assertThat(output).contains("OK receipt send-1", "OK receipt subscribe-1", "OK receipt disconnect-1");
	}

	@Test
	void clientAckByIdSettlesTheMessage() {
		String output = STOMP_PY.run("stomp_py_client_ack.py", this.broker.port(), "/queue/py-ack", "settle me", "ack")
			.assertSucceeded()
			.output();
		assertThat(output).contains("received settle me ack=ack-sub|").contains("OK acked");
		awaitNoConnections();
		assertThat(this.broker.broker().destinations().depth("/queue/py-ack")).isZero();
	}

	@Test
	void messageLeftUnackedByStompPyGoesToTheNextConsumer() throws Exception {
		STOMP_PY.run("stomp_py_client_ack.py", this.broker.port(), "/queue/py-noack", "again", "noack")
			.assertSucceeded();
		awaitNoConnections();
		assertThat(queue("/queue/py-noack").depth()).isOne();
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:0\ndestination:/queue/py-noack\n\n\0");
			Frame message = consumer.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.bodyText()).isEqualTo("again");
		}
	}

	private void awaitNoConnections() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.broker.broker().connectionCount() == 0);
	}

	private Destination queue(String name) {
		Destination destination = this.broker.broker().destinations().find(name);
		assertThat(destination).as("destination " + name).isNotNull();
		return destination;
	}

}
