package io.github.stompspringboot.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.github.stompspringboot.broker.store.JournalMessageStore;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.GatedMessageStore;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RECEIPTs and the store's group commit: a RECEIPT leaves only once the write holding
 * what its frame (and every earlier frame of the session) changed is durable, RECEIPTs
 * keep their order, and a frame without a receipt never waits for the disk. The store's
 * writes are held up by a gate, as by a slow disk.
 */
class GroupCommitTests {

	@TempDir
	Path storeDir;

	private GatedMessageStore store;

	private EmbeddedBroker start() {
		this.store = new GatedMessageStore(new JournalMessageStore(this.storeDir, false));
		return EmbeddedBroker.start(this.store, (settings) -> {
		});
	}

	@Test
	void receiptOfAPersistentSendWaitsForItsWriteButDeliveryDoesNot() throws Exception {
		try (EmbeddedBroker broker = start();
				RawStompClient producer = RawStompClient.connect(broker.port(), "1.2");
				RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(consumer, "s", "/queue/orders", "client-individual");
			this.store.shut();
			Stomp.send(producer, "/queue/orders", "order", "persistent:true", "receipt:stored");
			assertThat(Stomp.message(consumer).bodyText()).isEqualTo("order");
			assertNothingFor(producer);
			this.store.open();
			Stomp.expectReceipt(producer, "stored");
		}
	}

	@Test
	void receiptOfALaterFrameWaitsForEarlierPersistentSendsWithoutReceipt() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			this.store.shut();
			Stomp.send(producer, "/queue/batch", "one", "persistent:true");
			Stomp.send(producer, "/queue/batch", "two", "persistent:true");
			Stomp.send(producer, "/queue/other", "last, not persistent", "receipt:all");
			assertNothingFor(producer);
			this.store.open();
			Stomp.expectReceipt(producer, "all");
		}
	}

	@Test
	void receiptsKeepTheirOrderWhenAnEarlierOneWaitsForTheStore() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			this.store.shut();
			Stomp.send(client, "/queue/a", "kept", "persistent:true", "receipt:first");
			assertNothingFor(client);
			this.store.open();
			// A frame that changes nothing in the store: its RECEIPT may not overtake the
			// first.
			client.send("SUBSCRIBE\nid:s\ndestination:/queue/empty\nack:auto\nreceipt:second\n\n\0");
			Stomp.expectReceipt(client, "first");
			Stomp.expectReceipt(client, "second");
		}
	}

	@Test
	void receiptOfAnAckOfAPersistentMessageWaitsForTheDelete() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient client = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(client, "/queue/jobs", "job", "persistent:true");
			Stomp.subscribe(client, "s", "/queue/jobs", "client-individual");
			Frame job = Stomp.message(client);
			this.store.shut();
			Stomp.ack(client, job, "receipt:acked");
			assertNothingFor(client);
			this.store.open();
			Stomp.expectReceipt(client, "acked");
		}
	}

	@Test
	void framesWithoutPersistentChangesAreReceiptedWhileTheStoreIsSlow() throws Exception {
		try (EmbeddedBroker broker = start();
				RawStompClient slow = RawStompClient.connect(broker.port(), "1.2");
				RawStompClient other = RawStompClient.connect(broker.port(), "1.2")) {
			Stomp.sendConfirmed(other, "/queue/warm", "warm", "persistent:true");
			this.store.shut();
			Stomp.send(slow, "/queue/slow", "held", "persistent:true", "receipt:held");
			// Another session's frame that stores nothing: its RECEIPT need not wait for
			// the disk.
			Stomp.sendConfirmed(other, "/queue/fast", "fast");
			this.store.open();
			Stomp.expectReceipt(slow, "held");
		}
	}

	@Test
	void failedWriteGetsTheProducerAnErrorInsteadOfItsReceipt() throws Exception {
		try (EmbeddedBroker broker = start(); RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
			this.store.shut();
			Stomp.send(producer, "/queue/doomed", "lost", "persistent:true", "receipt:never");
			assertNothingFor(producer);
			this.store.fail(new IOException("No space left on device"));
			Frame error = Stomp.expectError(producer);
			assertThat(error.header("receipt-id")).isEqualTo("never");
			assertThat(error.header("message")).contains("store");
			assertThat(error.bodyText()).contains("No space left on device").contains("not receipted");
		}
	}

	private static void assertNothingFor(RawStompClient client) throws IOException {
		assertThat(client.readFor(Duration.ofMillis(300))).as("nothing sent while the store holds the write").isEmpty();
	}

}
