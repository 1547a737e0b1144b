package io.github.stompspringboot.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.github.stompspringboot.broker.store.JournalMessageStore;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durable topic subscriptions: a subscriber that names itself (Artemis's
 * {@code durable-subscription-name}, ActiveMQ's {@code activemq.subscriptionName}, with a
 * {@code client-id} on CONNECT) gets, after a reconnect, what was published while it was
 * away.
 */
class DurableSubscriptionTests {

	@TempDir
	Path storeDir;

	private static RawStompClient connect(EmbeddedBroker broker, String clientId) throws IOException {
		RawStompClient client = new RawStompClient(broker.port());
		client.send("CONNECT\naccept-version:1.2\nhost:localhost\nclient-id:" + clientId + "\n\n\0");
		assertThat(client.receive().command()).isEqualTo("CONNECTED");
		return client;
	}

	@Test
	void reconnectingSubscriberGetsWhatWasPublishedWhileItWasAway() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start()) {
			try (RawStompClient subscriber = connect(broker, "dashboard")) {
				Stomp.subscribeConfirmed(subscriber, "news", "/topic/news", "client-individual",
						"durable-subscription-name:headlines");
			}
			try (RawStompClient publisher = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.sendConfirmed(publisher, "/topic/news", "while-away-1");
				Stomp.sendConfirmed(publisher, "/topic/news", "while-away-2");
			}
			try (RawStompClient subscriber = connect(broker, "dashboard")) {
				Stomp.subscribe(subscriber, "news", "/topic/news", "client-individual",
						"durable-subscription-name:headlines");
				Frame first = Stomp.message(subscriber);
				assertThat(first.bodyText()).isEqualTo("while-away-1");
				assertThat(first.header("destination")).isEqualTo("/topic/news");
				Stomp.ack(subscriber, first);
				Frame second = Stomp.message(subscriber);
				assertThat(second.bodyText()).isEqualTo("while-away-2");
				Stomp.ack(subscriber, second, "receipt:done");
				Stomp.expectReceipt(subscriber, "done");
			}
		}
	}

	@Test
	void activeMqSubscriptionNameHeaderWorksTooAndNonDurableSubscribersMissMessages() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start()) {
			try (RawStompClient durable = connect(broker, "amq");
					RawStompClient plain = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.subscribeConfirmed(durable, "d", "/topic/prices", "auto", "activemq.subscriptionName:p");
				Stomp.subscribeConfirmed(plain, "p", "/topic/prices", "auto");
				// Leaves as clients do, before the price is published: a message sent
				// while an ack=auto subscriber is still connected is that subscriber's,
				// gone or not.
				Stomp.frame(durable, "DISCONNECT");
			}
			try (RawStompClient publisher = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.sendConfirmed(publisher, "/topic/prices", "42");
			}
			try (RawStompClient plain = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.subscribe(plain, "p", "/topic/prices", "auto");
				assertThat(plain.readFor(Duration.ofMillis(300))).isEmpty();
			}
			try (RawStompClient durable = connect(broker, "amq")) {
				Stomp.subscribe(durable, "d", "/topic/prices", "auto", "activemq.subscriptionName:p");
				assertThat(Stomp.message(durable).bodyText()).isEqualTo("42");
			}
		}
	}

	@Test
	void durableSubscriptionAndItsPersistentBacklogSurviveABrokerRestart() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start(new JournalMessageStore(this.storeDir, false), (s) -> {
		})) {
			try (RawStompClient subscriber = connect(broker, "audit")) {
				Stomp.subscribeConfirmed(subscriber, "a", "/topic/events", "client-individual",
						"durable-subscription-name:all", "selector:kind <> 'noise'");
			}
			try (RawStompClient publisher = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.sendConfirmed(publisher, "/topic/events", "noise", "persistent:true", "kind:noise");
				Stomp.sendConfirmed(publisher, "/topic/events", "signal", "persistent:true", "kind:signal");
			}
		}
		try (EmbeddedBroker broker = EmbeddedBroker.start(new JournalMessageStore(this.storeDir, false), (s) -> {
		})) {
			try (RawStompClient publisher = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.sendConfirmed(publisher, "/topic/events", "after-restart", "persistent:true", "kind:signal");
			}
			try (RawStompClient subscriber = connect(broker, "audit")) {
				Stomp.subscribe(subscriber, "a", "/topic/events", "client-individual", "durable-subscription-name:all",
						"selector:kind <> 'noise'");
				assertThat(Stomp.message(subscriber).bodyText()).isEqualTo("signal");
				assertThat(Stomp.message(subscriber).bodyText()).isEqualTo("after-restart");
				assertThat(subscriber.readFor(Duration.ofMillis(300))).isEmpty();
			}
		}
	}

	@Test
	void unsubscribeWithTheDurableNameEndsTheSubscription() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start()) {
			try (RawStompClient subscriber = connect(broker, "leaver")) {
				Stomp.subscribeConfirmed(subscriber, "s", "/topic/t", "auto", "durable-subscription-name:mine");
				Stomp.frame(subscriber, "UNSUBSCRIBE", "id:s", "durable-subscription-name:mine");
			}
			try (RawStompClient publisher = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.sendConfirmed(publisher, "/topic/t", "nobody-keeps-this");
			}
			assertThat(broker.broker().destinations().find("/durable-subscription/leaver/mine")).isNull();
			try (RawStompClient subscriber = connect(broker, "leaver")) {
				Stomp.subscribe(subscriber, "s", "/topic/t", "auto", "durable-subscription-name:mine");
				assertThat(subscriber.readFor(Duration.ofMillis(300))).isEmpty();
			}
		}
	}

	@Test
	void durableSubscriptionWithoutClientIdIsAnError() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient subscriber = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribe(subscriber, "s", "/topic/t", "auto", "durable-subscription-name:anon");
			assertThat(Stomp.expectError(subscriber).header("message")).contains("client-id");
		}
	}

}
