package io.github.stompspringboot.broker;

import java.time.Duration;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Temporary queues for request/reply, as RabbitMQ and ActiveMQ offer them:
 * {@code /temp-queue/x} is the connection's own, a {@code reply-to} naming it is
 * rewritten to a broker-wide name another client can answer to, and it disappears with
 * its connection.
 */
class TemporaryQueueTests {

	@Test
	void requestReplyThroughATemporaryQueue() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient requester = RawStompClient.connect(broker.port(), "1.2");
				RawStompClient responder = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(responder, "req", "/queue/requests", "auto");
			Stomp.subscribeConfirmed(requester, "replies", "/temp-queue/replies", "auto");
			Stomp.sendConfirmed(requester, "/queue/requests", "what-time", "reply-to:/temp-queue/replies");

			Frame request = Stomp.message(responder);
			String replyTo = request.header("reply-to");
			assertThat(replyTo).startsWith("/remote-temp-queue/").endsWith(".replies");
			Stomp.sendConfirmed(responder, replyTo, "noon");

			Frame reply = Stomp.message(requester);
			assertThat(reply.bodyText()).isEqualTo("noon");
			assertThat(reply.header("subscription")).isEqualTo("replies");
		}
	}

	@Test
	void twoConnectionsUsingTheSameTemporaryNameHaveTheirOwnQueues() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient a = RawStompClient.connect(broker.port(), "1.2");
				RawStompClient b = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(a, "r", "/temp-queue/r", "auto");
			Stomp.subscribeConfirmed(b, "r", "/temp-queue/r", "auto");
			Stomp.send(a, "/temp-queue/r", "for-a");
			assertThat(Stomp.message(a).bodyText()).isEqualTo("for-a");
			assertThat(b.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void temporaryQueueDisappearsWithItsConnection() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient responder = RawStompClient.connect(broker.port(), "1.2")) {
			String replyTo;
			try (RawStompClient requester = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.subscribeConfirmed(responder, "req", "/queue/requests", "auto");
				Stomp.subscribeConfirmed(requester, "replies", "/temp-queue/replies", "auto");
				Stomp.sendConfirmed(requester, "/queue/requests", "ping", "reply-to:/temp-queue/replies");
				replyTo = Stomp.message(responder).header("reply-to");
				assertThat(broker.broker().destinations().find(replyTo)).isNotNull();
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().destinations().find(replyTo) == null);
			// a late reply is let go, as RabbitMQ does: the responder is not punished for
			// it
			Stomp.sendConfirmed(responder, replyTo, "too-late");
			assertThat(broker.broker().destinations().find(replyTo)).isNull();
		}
	}

	@Test
	void anotherConnectionCannotSubscribeToSomeonesTemporaryQueue() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient owner = RawStompClient.connect(broker.port(), "1.2");
				RawStompClient thief = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(owner, "mine", "/temp-queue/private", "auto");
			String name = broker.broker()
				.destinations()
				.all()
				.stream()
				.map(Destination::name)
				.filter((n) -> n.startsWith("/remote-temp-queue/"))
				.findFirst()
				.orElseThrow();
			Stomp.subscribe(thief, "steal", name, "auto");
			assertThat(Stomp.expectError(thief).header("message")).contains("Cannot subscribe");
		}
	}

}
