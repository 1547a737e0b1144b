package io.github.stompspringboot.test;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The test client against a real broker the annotation starts: receipts, acks and nacks,
 * ERRORs that fail the waiting call, deadlines that end every wait.
 */
@EmbeddedStompBroker
class StompTestClientTests {

	private static final Duration SHORT = Duration.ofMillis(300);

	@Test
	void sendsAndReceivesWithReceipts(StompTestBroker broker) throws Exception {
		try (StompTestClient consumer = broker.client().connect();
				StompTestClient producer = broker.client().connect()) {
			assertThat(consumer.connected().header("version")).isEqualTo("1.2");
			StompTestClient.Subscription orders = consumer.subscribe("/queue/orders");
			producer.send("/queue/orders", "one", Map.of("priority", "high"));
			StompFrame message = orders.awaitMessage(Duration.ofSeconds(5));
			assertThat(message.body()).isEqualTo("one");
			assertThat(message.headers()).containsEntry("destination", "/queue/orders")
				.containsEntry("priority", "high");
			orders.assertNoMessageWithin(SHORT);
		}
	}

	@Test
	void nackRedeliversAndAckRemoves(StompTestBroker broker) throws Exception {
		try (StompTestClient client = broker.client().connect()) {
			StompTestClient.Subscription jobs = client.subscribe("/queue/jobs", "client-individual");
			client.send("/queue/jobs", "job");
			StompFrame first = jobs.awaitMessage();
			client.nack(first);
			StompFrame again = jobs.awaitMessage();
			assertThat(again.body()).isEqualTo("job");
			client.ack(again);
			jobs.assertNoMessageWithin(SHORT);
			assertThat(broker.broker().destinations().depth("/queue/jobs")).isZero();
		}
	}

	@Test
	void transactionsHoldSendsUntilCommit(StompTestBroker broker) throws Exception {
		try (StompTestClient client = broker.client().connect()) {
			StompTestClient.Subscription topic = client.subscribe("/topic/tx");
			client.begin("t1");
			client.send("/topic/tx", "held", Map.of("transaction", "t1"));
			topic.assertNoMessageWithin(SHORT);
			client.commit("t1");
			assertThat(topic.awaitMessage().body()).isEqualTo("held");
		}
	}

	@Test
	void anErrorFailsTheWaitingCallWithTheServersMessage(StompTestBroker broker) throws Exception {
		try (StompTestClient client = broker.client().connect()) {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> client.commit("never-begun"))
				.withMessageContaining("the server sent ERROR");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void aMissingMessageFailsAtTheDeadline(StompTestBroker broker) throws Exception {
		try (StompTestClient client = broker.client().connect()) {
			StompTestClient.Subscription empty = client.subscribe("/queue/empty");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> empty.awaitMessage(SHORT))
				.withMessageContaining("Waited 300 ms for a MESSAGE on /queue/empty in vain");
		}
	}

	@Test
	void disconnectWaitsForTheReceiptThenCloses(StompTestBroker broker) throws Exception {
		StompTestClient client = broker.client().connect();
		client.send("/queue/last", "bye");
		client.disconnect();
		assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		assertThat(broker.broker().destinations().depth("/queue/last")).isEqualTo(1);
	}

	@Test
	void eachTestGetsItsOwnBroker(StompTestBroker broker) {
		assertThat(broker.broker().destinations().depth("/queue/orders")).isZero();
		assertThat(broker.broker().destinations().depth("/queue/last")).isZero();
	}

}
