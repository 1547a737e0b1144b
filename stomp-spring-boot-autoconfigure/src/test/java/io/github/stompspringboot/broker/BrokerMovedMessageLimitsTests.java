package io.github.stompspringboot.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Queue limits hold for messages the broker moves itself, not only for those producers
 * send to a queue: a topic's copies for an offline durable subscriber, dead letters,
 * expired messages. Over the limit the topic's producer is held back or refused as the
 * policy says; a dead letter or expired message with no producer to answer for it is
 * dropped (logged).
 */
class BrokerMovedMessageLimitsTests {

	private static final int BODY_SIZE = 1024;

	/**
	 * Frames of BODY_SIZE one socket read may hold: handled even once the queue is full.
	 */
	private static final int FRAMES_IN_ONE_READ = 64 * 1024 / BODY_SIZE + 1;

	private static RawStompClient connect(EmbeddedBroker broker, String clientId) throws IOException {
		RawStompClient client = new RawStompClient(broker.port());
		client.send("CONNECT\naccept-version:1.2\nhost:localhost\nclient-id:" + clientId + "\n\n\0");
		assertThat(client.receive().command()).isEqualTo("CONNECTED");
		return client;
	}

	private static void subscribeDurably(EmbeddedBroker broker) throws IOException {
		try (RawStompClient subscriber = connect(broker, "offline")) {
			Stomp.subscribeConfirmed(subscriber, "news", "/topic/news", "client-individual",
					"durable-subscription-name:away");
		}
	}

	@Test
	void offlineDurableSubscriberHoldsBackTheTopicsProducerAtItsLimit() throws Exception {
		int limit = 5;
		int total = 1000;
		String padding = "x".repeat(BODY_SIZE - 8);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (EmbeddedBroker broker = EmbeddedBroker.start(
				(settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxQueueDepth(limit)))) {
			subscribeDurably(broker);
			// 1 MiB of SENDs: far more than the broker reads at once, so it must stop
			// reading.
			Future<Frame> producerDone = executor.submit(() -> {
				try (RawStompClient publisher = RawStompClient.connect(broker.port(), "1.2")) {
					for (int i = 0; i < total; i++) {
						Stomp.send(publisher, "/topic/news", String.format("%07d", i) + ":" + padding);
					}
					publisher.send("DISCONNECT\nreceipt:all-sent\n\n\0");
					return publisher.receive(Duration.ofSeconds(30));
				}
			});
			StompSession held = await().atMost(Duration.ofSeconds(10))
				.until(() -> broker.broker().sessions().stream().filter(StompSession::isReadingSuspended).findFirst(),
						java.util.Optional::isPresent)
				.get();
			assertThat(held.isConnected()).isTrue();
			assertThat(producerDone.isDone()).isFalse();
			Destination queue = broker.broker().destinations().find("/durable-subscription/offline/away");
			assertThat(queue.depth()).as("frames already read are handled, no more")
				.isBetween(limit, limit + FRAMES_IN_ONE_READ);
			try (RawStompClient subscriber = connect(broker, "offline")) {
				Stomp.subscribe(subscriber, "news", "/topic/news", "client-individual",
						"durable-subscription-name:away", "prefetch-count:10");
				for (int i = 0; i < total; i++) {
					Frame message = Stomp.message(subscriber, Duration.ofSeconds(10));
					assertThat(message.bodyText()).startsWith(String.format("%07d", i) + ":");
					Stomp.ack(subscriber, message);
				}
				Frame receipt = producerDone.get(30, TimeUnit.SECONDS);
				assertThat(receipt.command()).isEqualTo("RECEIPT");
				assertThat(receipt.header("receipt-id")).isEqualTo("all-sent");
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void offlineDurableSubscriberAtItsLimitGetsTheTopicsProducerAnErrorUnderFailPolicy() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((settings) -> settings.setDestinationDefaults(
				DestinationSettings.DEFAULTS.withMaxQueueDepth(3).withQueueFullPolicy(QueueFullPolicy.FAIL)))) {
			subscribeDurably(broker);
			try (RawStompClient publisher = RawStompClient.connect(broker.port(), "1.2")) {
				for (int i = 0; i < 3; i++) {
					Stomp.sendConfirmed(publisher, "/topic/news", "n" + i);
				}
				Stomp.send(publisher, "/topic/news", "one-too-many");
				Frame error = Stomp.expectError(publisher);
				assertThat(error.header("message")).isEqualTo("Queue /durable-subscription/offline/away is full");
			}
			assertThat(broker.broker().destinations().depth("/durable-subscription/offline/away")).isEqualTo(3);
		}
	}

	@Test
	void deadLettersBeyondTheDeadLetterQueuesLimitAreDropped() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker
			.start((settings) -> settings.setDestinationDefaults(DestinationSettings.DEFAULTS.withMaxRedeliveries(0))
				.addDestinationOverride("/queue/DLQ.**", (queue) -> queue.withMaxQueueDepth(2)))) {
			try (RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
				for (int i = 0; i < 5; i++) {
					Stomp.sendConfirmed(client, "/queue/poison", "p" + i);
				}
				Stomp.subscribe(client, "s", "/queue/poison", "client-individual");
				for (int i = 0; i < 5; i++) {
					Frame message = Stomp.message(client);
					if (i < 4) {
						Stomp.nack(client, message);
					}
					else {
						Stomp.nack(client, message, "receipt:nacked");
					}
				}
				Stomp.expectReceipt(client, "nacked");
			}
			assertThat(broker.broker().destinations().depth("/queue/DLQ.poison")).isEqualTo(2);
			assertThat(broker.broker().destinations().depth("/queue/poison")).isZero();
		}
	}

	@Test
	void expiredMessagesBeyondTheExpiryQueuesLimitAreDropped() throws Exception {
		try (EmbeddedBroker broker = EmbeddedBroker.start((settings) -> settings.setExpiryQueue("/queue/expired")
			.addDestinationOverride("/queue/expired", (queue) -> queue.withMaxQueueDepth(2)))) {
			try (RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
				for (int i = 0; i < 5; i++) {
					Stomp.sendConfirmed(client, "/queue/stale", "s" + i, "expires:1");
				}
			}
			assertThat(broker.broker().destinations().depth("/queue/expired")).isEqualTo(2);
		}
	}

}
