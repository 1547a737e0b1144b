package io.github.stompspringboot.broker;

import java.time.Duration;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.stompspringboot.broker.Stomp.ack;
import static io.github.stompspringboot.broker.Stomp.expectError;
import static io.github.stompspringboot.broker.Stomp.message;
import static io.github.stompspringboot.broker.Stomp.send;
import static io.github.stompspringboot.broker.Stomp.sendConfirmed;
import static io.github.stompspringboot.broker.Stomp.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscription holds at most its prefetch window of un-acked messages; the rest wait in
 * the queue, so a second consumer gets them (fair dispatch).
 */
class PrefetchTests {

	private EmbeddedBroker broker;

	@AfterEach
	void stop() {
		this.broker.close();
	}

	@Test
	void rabbitMqPrefetchCountLimitsUnackedMessagesAndTheRestGoToTheNextConsumer() throws Exception {
		this.broker = EmbeddedBroker.start();
		produce("/queue/fair", 10);
		try (RawStompClient greedy = connect(); RawStompClient other = connect()) {
			subscribe(greedy, "g", "/queue/fair", "client-individual", "prefetch-count:3");
			Frame first = message(greedy);
			message(greedy);
			message(greedy);
			await().atMost(Duration.ofSeconds(5)).until(() -> queue("/queue/fair").depth() == 7);
			subscribe(other, "o", "/queue/fair", "client-individual", "prefetch-count:5");
			for (int i = 3; i < 8; i++) {
				assertThat(message(other).bodyText()).isEqualTo("m" + i);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> queue("/queue/fair").depth() == 2);
			ack(greedy, first); // frees one slot of the window: exactly one more comes
			assertThat(message(greedy).bodyText()).isEqualTo("m8");
			await().atMost(Duration.ofSeconds(5)).until(() -> queue("/queue/fair").depth() == 1);
		}
	}

	@Test
	void activeMqPrefetchSizeIsUnderstoodToo() throws Exception {
		this.broker = EmbeddedBroker.start();
		produce("/queue/amq", 5);
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/amq", "client", "activemq.prefetchSize:1");
			Frame first = message(consumer);
			await().atMost(Duration.ofSeconds(5)).until(() -> queue("/queue/amq").depth() == 4);
			ack(consumer, first);
			assertThat(message(consumer).bodyText()).isEqualTo("m1");
		}
	}

	@Test
	void defaultPrefetchIsASetting() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setDefaultPrefetch(2));
		produce("/queue/default", 5);
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/default", "client-individual");
			message(consumer);
			message(consumer);
			await().atMost(Duration.ofSeconds(5)).until(() -> queue("/queue/default").depth() == 3);
		}
	}

	@Test
	void prefetchZeroIsUnlimitedAndAutoAckIsNotWindowed() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setDefaultPrefetch(1));
		produce("/queue/unlimited", 5);
		try (RawStompClient client = connect(); RawStompClient auto = connect()) {
			subscribe(client, "c", "/queue/unlimited", "client", "prefetch-count:0");
			for (int i = 0; i < 5; i++) {
				message(client);
			}
			produce("/queue/auto", 5);
			subscribe(auto, "a", "/queue/auto", "auto");
			for (int i = 0; i < 5; i++) {
				message(auto);
			}
		}
	}

	@Test
	void unackedWindowIsCappedWhateverTheClientAsks() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setMaxUnackedPerSubscription(3));
		produce("/queue/capped", 10);
		try (RawStompClient unlimited = connect(); RawStompClient huge = connect()) {
			subscribe(unlimited, "u", "/queue/capped", "client", "prefetch-count:0");
			for (int i = 0; i < 3; i++) {
				message(unlimited);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> queue("/queue/capped").depth() == 7);
			subscribe(huge, "h", "/queue/capped", "client", "prefetch-count:1000000");
			for (int i = 0; i < 3; i++) {
				message(huge);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> queue("/queue/capped").depth() == 4);
		}
	}

	@Test
	void invalidPrefetchIsAnError() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/x", "client", "prefetch-count:-1");
			assertThat(expectError(consumer).header("message")).contains("prefetch-count");
		}
	}

	private QueueDestination queue(String name) {
		return (QueueDestination) this.broker.broker().destinations().find(name);
	}

	private RawStompClient connect() throws Exception {
		return RawStompClient.connect(this.broker.port(), "1.2");
	}

	private void produce(String destination, int count) throws Exception {
		try (RawStompClient producer = connect()) {
			for (int i = 0; i < count - 1; i++) {
				send(producer, destination, "m" + i);
			}
			sendConfirmed(producer, destination, "m" + (count - 1));
		}
	}

}
