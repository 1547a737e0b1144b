package io.github.stompspringboot.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import io.github.stompspringboot.broker.store.JournalMessageStore;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Persistent messages in the durable store survive a broker restart on the same store
 * directory until they are acknowledged; others do not.
 */
class PersistentMessageTests {

	@TempDir
	Path storeDir;

	private EmbeddedBroker start(Consumer<BrokerSettings> customizer) {
		return EmbeddedBroker.start(new JournalMessageStore(this.storeDir, false), customizer);
	}

	private EmbeddedBroker start() {
		return start((settings) -> {
		});
	}

	@Test
	void persistentMessageSurvivesARestartAndNonPersistentDoesNot() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(producer, "/queue/orders", "kept", "persistent:true");
			Stomp.sendConfirmed(producer, "/queue/orders", "lost");
		}
		try (EmbeddedBroker broker = start(); RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "s", "/queue/orders", "client-individual");
			Frame message = Stomp.message(consumer);
			assertThat(message.bodyText()).isEqualTo("kept");
			assertThat(message.header("persistent")).isEqualTo("true");
			assertThat(consumer.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	/**
	 * Past the store's heap budget for recovered messages (0 here) bodies stay on disk
	 * and are read when delivered: each arrives whole, also when it comes back after a
	 * delivery that was not acknowledged and after a second restart.
	 */
	@Test
	void recoveredMessagesWhoseBodiesStayOnDiskArriveWhole() throws Exception {
		String large = "L".repeat(100_000);
		try (EmbeddedBroker broker = start(); RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(producer, "/queue/deep", "first", "persistent:true");
			Stomp.send(producer, "/queue/deep", large, "persistent:true", "receipt:large");
			Stomp.expectReceipt(producer, "large");
			Stomp.sendConfirmed(producer, "/queue/deep", "third", "persistent:true", "content-type:text/plain");
		}
		for (int restart = 0; restart < 2; restart++) {
			try (EmbeddedBroker broker = EmbeddedBroker.start(new JournalMessageStore(this.storeDir, false, 0),
					(settings) -> {
					}); RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
				Stomp.subscribe(consumer, "s", "/queue/deep", "client-individual");
				Frame first = Stomp.message(consumer);
				assertThat(first.bodyText()).isEqualTo("first");
				assertThat(Stomp.message(consumer).bodyText()).isEqualTo(large);
				Frame third = Stomp.message(consumer);
				assertThat(third.bodyText()).isEqualTo("third");
				assertThat(third.header("content-type")).isEqualTo("text/plain");
				if (restart == 0) {
					// not acknowledged: they come back, read from disk again
					consumer.send("UNSUBSCRIBE\nid:s\n\n\0");
					Stomp.subscribe(consumer, "s2", "/queue/deep", "client-individual");
					assertThat(Stomp.message(consumer).bodyText()).isEqualTo("first");
					assertThat(Stomp.message(consumer).bodyText()).isEqualTo(large);
					assertThat(Stomp.message(consumer).bodyText()).isEqualTo("third");
				}
			}
		}
	}

	@Test
	void acknowledgedMessageIsNotDeliveredAgainAfterARestart() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(client, "/queue/jobs", "one", "persistent:true");
			Stomp.sendConfirmed(client, "/queue/jobs", "two", "persistent:true");
			Stomp.subscribe(client, "s", "/queue/jobs", "client-individual");
			Frame one = Stomp.message(client);
			Stomp.message(client);
			Stomp.ack(client, one, "receipt:acked");
			Stomp.expectReceipt(client, "acked");
		}
		try (EmbeddedBroker broker = start(); RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "s", "/queue/jobs", "client-individual");
			Frame again = Stomp.message(consumer);
			assertThat(again.bodyText()).isEqualTo("two");
			assertThat(again.header("redelivered")).as("it went out once before the restart").isEqualTo("true");
			Stomp.ack(consumer, again, "receipt:acked");
			Stomp.expectReceipt(consumer, "acked");
		}
		try (EmbeddedBroker broker = start(); RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "s", "/queue/jobs", "auto");
			assertThat(consumer.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void destinationsConfiguredAsPersistentKeepEveryMessage() throws Exception {
		Consumer<BrokerSettings> persistentAudit = (settings) -> settings.addDestinationOverride("/queue/audit.**",
				(audit) -> audit.withPersistent(true));
		try (EmbeddedBroker broker = start(persistentAudit);
				RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(producer, "/queue/audit.logins", "login");
			Stomp.sendConfirmed(producer, "/queue/other", "other");
		}
		try (EmbeddedBroker broker = start(persistentAudit);
				RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "a", "/queue/audit.logins", "auto");
			assertThat(Stomp.message(consumer).bodyText()).isEqualTo("login");
			Stomp.subscribe(consumer, "o", "/queue/other", "auto");
			assertThat(consumer.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void autoAcknowledgedMessageIsGoneFromTheStoreOnceDelivered() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(client, "s", "/queue/auto", "auto");
			Stomp.send(client, "/queue/auto", "once", "persistent:true");
			assertThat(Stomp.message(client).bodyText()).isEqualTo("once");
		}
		try (EmbeddedBroker broker = start(); RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "s", "/queue/auto", "auto");
			assertThat(consumer.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void messageSentAfterARestartThatFollowedAcknowledgementsSurvivesTheNextRestart() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(client, "/queue/ids", "first", "persistent:true");
			Stomp.sendConfirmed(client, "/queue/ids", "second", "persistent:true");
			Stomp.subscribe(client, "s", "/queue/ids", "client-individual");
			Stomp.ack(client, Stomp.message(client));
			Stomp.ack(client, Stomp.message(client), "receipt:both-acked");
			Stomp.expectReceipt(client, "both-acked");
		}
		// Nothing left but the deletes: a new message must not take an id they still
		// name.
		try (EmbeddedBroker broker = start(); RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(client, "/queue/ids", "third", "persistent:true");
		}
		try (EmbeddedBroker broker = start(); RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "s", "/queue/ids", "auto");
			assertThat(Stomp.message(consumer).bodyText()).isEqualTo("third");
		}
	}

}
