package io.github.stompspringboot.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.stompspringboot.broker.Stomp.ack;
import static io.github.stompspringboot.broker.Stomp.expectError;
import static io.github.stompspringboot.broker.Stomp.frame;
import static io.github.stompspringboot.broker.Stomp.message;
import static io.github.stompspringboot.broker.Stomp.send;
import static io.github.stompspringboot.broker.Stomp.sendConfirmed;
import static io.github.stompspringboot.broker.Stomp.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ACK and NACK in every version and mode, and what happens to un-acked messages when
 * their consumer leaves: they go back to the queue, ahead of newer ones, for another
 * consumer.
 */
class AcknowledgementTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension()
		.settings((settings) -> settings.setHeartbeatReceive(Duration.ofMillis(200)));

	@Test
	void clientAckIsCumulative() throws Exception {
		produce("/queue/cumulative", 5);
		try (RawStompClient consumer = connect("1.2")) {
			subscribe(consumer, "c", "/queue/cumulative", "client");
			List<Frame> received = receive(consumer, 5);
			ack(consumer, received.get(2));
			frame(consumer, "DISCONNECT");
		}
		assertThat(bodiesOfNext("/queue/cumulative", 2)).containsExactly("m3", "m4");
	}

	@Test
	void clientIndividualAckCoversOnlyItsMessage() throws Exception {
		produce("/queue/individual", 5);
		try (RawStompClient consumer = connect("1.2")) {
			subscribe(consumer, "c", "/queue/individual", "client-individual");
			List<Frame> received = receive(consumer, 5);
			ack(consumer, received.get(2));
			frame(consumer, "DISCONNECT");
		}
		assertThat(bodiesOfNext("/queue/individual", 4)).containsExactly("m0", "m1", "m3", "m4");
	}

	@Test
	void stomp11AcksByMessageIdAndSubscription() throws Exception {
		produce("/queue/v11", 2);
		try (RawStompClient consumer = connect("1.1")) {
			subscribe(consumer, "c", "/queue/v11", "client-individual");
			Frame first = message(consumer);
			assertThat(first.header("ack")).isNull();
			consumer.send("ACK\nsubscription:c\nmessage-id:" + first.header("message-id") + "\n\n\0");
			message(consumer);
			frame(consumer, "DISCONNECT");
		}
		assertThat(bodiesOfNext("/queue/v11", 1)).containsExactly("m1");
	}

	@Test
	void stomp10AcksByMessageId() throws Exception {
		produce("/queue/v10", 2);
		try (RawStompClient consumer = connect("1.0")) {
			consumer.send("SUBSCRIBE\ndestination:/queue/v10\nack:client\n\n\0");
			message(consumer);
			Frame second = message(consumer);
			consumer.send("ACK\nmessage-id:" + second.header("message-id") + "\n\n\0");
			frame(consumer, "DISCONNECT");
		}
		// Cumulative: acking the second acknowledged the first too; only a new message
		// follows.
		produce("/queue/v10", 1, "late");
		assertThat(bodiesOfNext("/queue/v10", 1)).containsExactly("late0");
	}

	@Test
	void stomp11NackRedeliversMarkedRedelivered() throws Exception {
		produce("/queue/nack11", 1);
		try (RawStompClient consumer = connect("1.1")) {
			subscribe(consumer, "a", "/queue/nack11", "client-individual");
			Frame delivered = message(consumer);
			assertThat(delivered.header("redelivered")).isNull();
			consumer.send("NACK\nsubscription:a\nmessage-id:" + delivered.header("message-id") + "\n\n\0");
			Frame redelivered = message(consumer);
			assertThat(redelivered.bodyText()).isEqualTo("m0");
			assertThat(redelivered.header("message-id")).isEqualTo(delivered.header("message-id"));
			assertThat(redelivered.header("redelivered")).isEqualTo("true");
		}
	}

	@Test
	void nackInStomp10IsAnError() throws Exception {
		try (RawStompClient consumer = connect("1.0")) {
			consumer.send("NACK\nmessage-id:x\n\n\0");
			assertThat(expectError(consumer).header("message")).contains("NACK");
		}
	}

	@Test
	void ackOfUnknownIdIsAnError() throws Exception {
		try (RawStompClient consumer = connect("1.2")) {
			subscribe(consumer, "c", "/queue/unknown", "client");
			consumer.send("ACK\nid:c|nope\n\n\0");
			Frame error = expectError(consumer);
			assertThat(error.header("message")).contains("unknown message");
		}
	}

	@Test
	void ackTwiceIsAnError() throws Exception {
		produce("/queue/twice", 1);
		try (RawStompClient consumer = connect("1.2")) {
			subscribe(consumer, "c", "/queue/twice", "client-individual");
			Frame delivered = message(consumer);
			ack(consumer, delivered);
			ack(consumer, delivered);
			assertThat(expectError(consumer).header("message")).contains("unknown message");
		}
	}

	@Test
	void ackOfAMessageFromAnAutoSubscriptionIsIgnored() throws Exception {
		produce("/queue/auto", 1);
		try (RawStompClient consumer = connect("1.0")) {
			consumer.send("SUBSCRIBE\ndestination:/queue/auto\n\n\0");
			Frame delivered = message(consumer);
			consumer.send("ACK\nmessage-id:" + delivered.header("message-id") + "\nreceipt:ok\n\n\0");
			Stomp.expectReceipt(consumer, "ok");
		}
	}

	@Test
	void unsubscribeReturnsUnackedMessagesToTheQueue() throws Exception {
		produce("/queue/unsub", 3);
		try (RawStompClient consumer = connect("1.2")) {
			subscribe(consumer, "c", "/queue/unsub", "client-individual");
			receive(consumer, 3);
			frame(consumer, "UNSUBSCRIBE", "id:c");
			assertThat(this.broker.broker().destinations().depth("/queue/unsub")).isEqualTo(3);
		}
		assertThat(bodiesOfNext("/queue/unsub", 3)).containsExactly("m0", "m1", "m2");
	}

	@Test
	void returnedMessagesGoAheadOfNewerOnes() throws Exception {
		produce("/queue/order", 2);
		try (RawStompClient consumer = connect("1.2")) {
			subscribe(consumer, "c", "/queue/order", "client-individual", "prefetch-count:2");
			receive(consumer, 2);
			produce("/queue/order", 2, "new");
			frame(consumer, "DISCONNECT");
		}
		assertThat(bodiesOfNext("/queue/order", 4)).containsExactly("m0", "m1", "new0", "new1");
	}

	/**
	 * The consumer's socket is reset with 100 messages un-acked: all reach the second
	 * consumer marked redelivered, and none comes again once acknowledged.
	 */
	@Test
	void killedConsumersUnackedMessagesAllReachAnotherConsumerOnce() throws Exception {
		produce("/queue/killed", 100);
		RawStompClient doomed = connect("1.2");
		subscribe(doomed, "c", "/queue/killed", "client-individual");
		receive(doomed, 100);
		doomed.closeAbruptly();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.broker.broker().destinations().depth("/queue/killed") == 100);
		try (RawStompClient survivor = connect("1.2")) {
			subscribe(survivor, "c", "/queue/killed", "client-individual");
			Set<String> bodies = new HashSet<>();
			for (int i = 0; i < 100; i++) {
				Frame message = message(survivor);
				assertThat(message.header("redelivered")).isEqualTo("true");
				assertThat(bodies.add(message.bodyText())).as("delivered once: %s", message).isTrue();
				ack(survivor, message);
			}
			assertThat(bodies).hasSize(100);
			produce("/queue/killed", 1, "marker");
			assertThat(message(survivor).bodyText()).isEqualTo("marker0");
		}
	}

	@Test
	void consumerDroppedForHeartbeatSilenceReturnsItsMessages() throws Exception {
		produce("/queue/silent", 3);
		try (RawStompClient silent = new RawStompClient(this.broker.port())) {
			silent.send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:200,0\n\n\0");
			assertThat(silent.receive().command()).isEqualTo("CONNECTED");
			subscribe(silent, "c", "/queue/silent", "client");
			receive(silent, 3);
			Frame error = silent.receive(Duration.ofSeconds(5));
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).contains("Heart-beat");
		}
		List<Frame> again = new ArrayList<>();
		try (RawStompClient other = connect("1.2")) {
			subscribe(other, "c", "/queue/silent", "auto");
			for (int i = 0; i < 3; i++) {
				again.add(message(other));
			}
		}
		assertThat(again).extracting(Frame::bodyText).containsExactly("m0", "m1", "m2");
		assertThat(again).allSatisfy((frame) -> assertThat(frame.header("redelivered")).isEqualTo("true"));
	}

	private RawStompClient connect(String version) throws Exception {
		return RawStompClient.connect(this.broker.port(), version);
	}

	private void produce(String destination, int count) throws Exception {
		produce(destination, count, "m");
	}

	private void produce(String destination, int count, String prefix) throws Exception {
		try (RawStompClient producer = connect("1.2")) {
			for (int i = 0; i < count - 1; i++) {
				send(producer, destination, prefix + i);
			}
			sendConfirmed(producer, destination, prefix + (count - 1));
		}
	}

	private static List<Frame> receive(RawStompClient client, int count) throws Exception {
		List<Frame> frames = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			frames.add(message(client));
		}
		return frames;
	}

	/** Bodies a fresh auto-ack consumer gets first. */
	private List<String> bodiesOfNext(String destination, int count) throws Exception {
		List<String> bodies = new ArrayList<>();
		try (RawStompClient consumer = connect("1.2")) {
			subscribe(consumer, "next", destination, "auto");
			for (int i = 0; i < count; i++) {
				bodies.add(message(consumer).bodyText());
			}
			// And nothing more: a message sent now is the very next one.
			produce(destination, 1, "end-marker");
			assertThat(message(consumer).bodyText()).isEqualTo("end-marker0");
		}
		return bodies;
	}

}
