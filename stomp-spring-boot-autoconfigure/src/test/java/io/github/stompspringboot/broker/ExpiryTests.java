package io.github.stompspringboot.broker;

import java.time.Duration;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Message expiry: the {@code expires} header (epoch millis, as ActiveMQ and Artemis) and
 * a per-destination time-to-live; expired messages are not delivered and go to the expiry
 * queue when one is configured.
 */
class ExpiryTests {

	@Test
	void expiredMessageIsNotDeliveredAndGoesToTheExpiryQueue() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((s) -> s.setExpiryQueue("/queue/expired"));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			long past = System.currentTimeMillis() - 1;
			long future = System.currentTimeMillis() + 600_000;
			Stomp.sendConfirmed(client, "/queue/quotes", "stale", "expires:" + past);
			Stomp.sendConfirmed(client, "/queue/quotes", "fresh", "expires:" + future);
			Stomp.sendConfirmed(client, "/queue/quotes", "forever", "expires:0");
			Stomp.subscribe(client, "q", "/queue/quotes", "auto");
			assertThat(Stomp.message(client).bodyText()).isEqualTo("fresh");
			assertThat(Stomp.message(client).bodyText()).isEqualTo("forever");
			Stomp.subscribe(client, "x", "/queue/expired", "auto");
			Frame expired = Stomp.message(client);
			assertThat(expired.bodyText()).isEqualTo("stale");
			assertThat(expired.header("original-destination")).isEqualTo("/queue/quotes");
		}
	}

	@Test
	void messageWaitingLongerThanItsDestinationsTimeToLiveExpires() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((s) -> s.addDestinationOverride("/queue/ticks.**",
				(ticks) -> ticks.withTimeToLive(Duration.ofMillis(200))));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(client, "/queue/ticks.eur", "old-tick");
			long sentAt = System.currentTimeMillis();
			Stomp.sendConfirmed(client, "/queue/other", "kept");
			await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > sentAt + 250);
			Stomp.subscribe(client, "t", "/queue/ticks.eur", "auto");
			Stomp.subscribe(client, "o", "/queue/other", "auto");
			assertThat(Stomp.message(client).bodyText()).isEqualTo("kept");
			assertThat(client.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	/**
	 * The time-to-live a name's pattern gives is worked out once, when the destination is
	 * made: it holds for every later message to it, not only the one that made it.
	 */
	@Test
	void timeToLiveHoldsForEveryMessageOfAQueueThatExistsAlready() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((s) -> s.addDestinationOverride("/queue/ticks.**",
				(ticks) -> ticks.withTimeToLive(Duration.ofMillis(200))));
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			// the first SEND makes the queue; the others find it
			Stomp.sendConfirmed(client, "/queue/ticks.usd", "first");
			Stomp.sendConfirmed(client, "/queue/ticks.usd", "second");
			Stomp.sendConfirmed(client, "/queue/ticks.usd", "third");
			long sentAt = System.currentTimeMillis();
			Stomp.sendConfirmed(client, "/queue/ticks-other", "kept");
			await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > sentAt + 250);
			Stomp.subscribe(client, "t", "/queue/ticks.usd", "auto");
			Stomp.subscribe(client, "o", "/queue/ticks-other", "auto");
			assertThat(Stomp.message(client).bodyText()).isEqualTo("kept");
			assertThat(client.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void expiredTopicMessageReachesNoSubscriber() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(client, "t", "/topic/t", "auto");
			Stomp.sendConfirmed(client, "/topic/t", "late", "expires:" + (System.currentTimeMillis() - 1000));
			Stomp.send(client, "/topic/t", "timely");
			assertThat(Stomp.message(client).bodyText()).isEqualTo("timely");
		}
	}

	@Test
	void invalidExpiresHeaderIsAnError() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start();
				RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.send(client, "/queue/q", "x", "expires:tomorrow");
			assertThat(Stomp.expectError(client).header("message")).contains("expires");
		}
	}

}
