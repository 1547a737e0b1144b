package io.github.stompspringboot.broker;

import java.time.Duration;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.stompspringboot.broker.Stomp.ack;
import static io.github.stompspringboot.broker.Stomp.expectError;
import static io.github.stompspringboot.broker.Stomp.frame;
import static io.github.stompspringboot.broker.Stomp.message;
import static io.github.stompspringboot.broker.Stomp.nack;
import static io.github.stompspringboot.broker.Stomp.send;
import static io.github.stompspringboot.broker.Stomp.sendConfirmed;
import static io.github.stompspringboot.broker.Stomp.subscribe;
import static io.github.stompspringboot.broker.Stomp.subscribeConfirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * BEGIN / COMMIT / ABORT: transactional SENDs, ACKs and NACKs take effect at COMMIT, all
 * together; ABORT discards the SENDs and makes acknowledged messages un-acked again.
 */
class TransactionTests {

	private EmbeddedBroker broker;

	@AfterEach
	void stop() {
		this.broker.close();
	}

	/**
	 * A concurrent consumer sees nothing of a transaction before its COMMIT (a plain
	 * message sent afterwards overtakes it), then all of it; an aborted transaction
	 * never.
	 */
	@Test
	void committedSendsAreSeenAllAtOnceAndAbortedOnesNever() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient producer = connect(); RawStompClient consumer = connect()) {
			subscribeConfirmed(consumer, "c", "/queue/tx", "auto");
			frame(producer, "BEGIN", "transaction:t1");
			for (int i = 0; i < 10; i++) {
				send(producer, "/queue/tx", "t1-" + i, "transaction:t1");
			}
			sendConfirmed(producer, "/queue/tx", "before-commit");
			assertThat(message(consumer).bodyText()).isEqualTo("before-commit");
			frame(producer, "COMMIT", "transaction:t1");
			for (int i = 0; i < 10; i++) {
				Frame message = message(consumer);
				assertThat(message.bodyText()).isEqualTo("t1-" + i);
				assertThat(message.header("transaction")).isNull();
			}

			frame(producer, "BEGIN", "transaction:t2");
			for (int i = 0; i < 10; i++) {
				send(producer, "/queue/tx", "t2-" + i, "transaction:t2");
			}
			frame(producer, "ABORT", "transaction:t2");
			sendConfirmed(producer, "/queue/tx", "after-abort");
			assertThat(message(consumer).bodyText()).isEqualTo("after-abort");
		}
		assertThat(this.broker.broker().destinations().depth("/queue/tx")).isZero();
	}

	@Test
	void abortedAcksMakeTheirMessagesUnackedAgain() throws Exception {
		this.broker = EmbeddedBroker.start();
		produce("/queue/txack", 3);
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/txack", "client-individual");
			Frame m0 = message(consumer);
			Frame m1 = message(consumer);
			message(consumer);
			frame(consumer, "BEGIN", "transaction:a");
			ack(consumer, m0, "transaction:a");
			ack(consumer, m1, "transaction:a");
			frame(consumer, "ABORT", "transaction:a");
			// un-acked again: a plain ACK of the same message is accepted
			consumer.send("ACK\nid:" + m1.header("ack") + "\nreceipt:again\n\n\0");
			Stomp.expectReceipt(consumer, "again");
			frame(consumer, "DISCONNECT");
		}
		try (RawStompClient next = connect()) {
			subscribe(next, "n", "/queue/txack", "auto");
			assertThat(message(next).bodyText()).isEqualTo("m0");
			assertThat(message(next).bodyText()).isEqualTo("m2");
		}
	}

	@Test
	void committedAcksAreFinal() throws Exception {
		this.broker = EmbeddedBroker.start();
		produce("/queue/txcommit", 2);
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/txcommit", "client");
			message(consumer);
			Frame m1 = message(consumer);
			frame(consumer, "BEGIN", "transaction:c");
			ack(consumer, m1, "transaction:c");
			frame(consumer, "COMMIT", "transaction:c");
			frame(consumer, "DISCONNECT");
		}
		assertThat(this.broker.broker().destinations().depth("/queue/txcommit")).isZero();
	}

	@Test
	void transactionalNackRedeliversOnlyAtCommit() throws Exception {
		this.broker = EmbeddedBroker.start();
		produce("/queue/txnack", 1);
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "c", "/queue/txnack", "client-individual");
			Frame m0 = message(consumer);
			frame(consumer, "BEGIN", "transaction:n");
			nack(consumer, m0, "transaction:n");
			assertThat(this.broker.broker().destinations().depth("/queue/txnack")).isZero();
			consumer.send("COMMIT\ntransaction:n\nreceipt:done\n\n\0");
			// redelivered as the COMMIT takes effect, before its RECEIPT
			Frame again = message(consumer);
			Stomp.expectReceipt(consumer, "done");
			assertThat(again.bodyText()).isEqualTo("m0");
			assertThat(again.header("redelivered")).isEqualTo("true");
		}
	}

	@Test
	void transactionOpenAtDisconnectIsAborted() throws Exception {
		this.broker = EmbeddedBroker.start();
		produce("/queue/txdrop", 1);
		try (RawStompClient client = connect()) {
			subscribe(client, "c", "/queue/txdrop", "client-individual");
			Frame m0 = message(client);
			frame(client, "BEGIN", "transaction:d");
			ack(client, m0, "transaction:d");
			send(client, "/queue/txdrop", "never", "transaction:d");
			frame(client, "SUBSCRIBE", "id:x", "destination:/queue/other");
			client.closeAbruptly();
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.broker.broker().destinations().depth("/queue/txdrop") == 1);
		try (RawStompClient next = connect()) {
			subscribe(next, "n", "/queue/txdrop", "auto");
			Frame again = message(next);
			assertThat(again.bodyText()).isEqualTo("m0");
			assertThat(again.header("redelivered")).isEqualTo("true");
		}
	}

	@Test
	void commitOfUnknownTransactionIsAnError() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient client = connect()) {
			client.send("COMMIT\ntransaction:nope\n\n\0");
			assertThat(expectError(client).header("message")).contains("unknown transaction 'nope'");
		}
	}

	@Test
	void sendInUnknownTransactionIsAnError() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient client = connect()) {
			send(client, "/queue/x", "body", "transaction:nope");
			assertThat(expectError(client).header("message")).contains("unknown transaction");
		}
	}

	@Test
	void duplicateBeginIsAnError() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient client = connect()) {
			frame(client, "BEGIN", "transaction:t");
			client.send("BEGIN\ntransaction:t\n\n\0");
			assertThat(expectError(client).header("message")).contains("already open");
		}
	}

	@Test
	void beginWithoutTransactionHeaderIsAnError() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient client = connect()) {
			client.send("BEGIN\n\n\0");
			assertThat(expectError(client).header("message")).contains("transaction");
		}
	}

	@Test
	void transactionOverItsFrameLimitIsAnError() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setMaxFramesPerTransaction(3));
		try (RawStompClient producer = connect(); RawStompClient consumer = connect()) {
			subscribeConfirmed(consumer, "c", "/queue/big", "auto");
			frame(producer, "BEGIN", "transaction:big");
			for (int i = 0; i < 4; i++) {
				send(producer, "/queue/big", "b" + i, "transaction:big");
			}
			assertThat(expectError(producer).header("message")).contains("too large");
			// aborted: nothing of it is ever delivered
			produce("/queue/big", 1);
			assertThat(message(consumer).bodyText()).isEqualTo("m0");
		}
	}

	@Test
	void tooManyOpenTransactionsIsAnError() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.setMaxTransactionsPerConnection(2));
		try (RawStompClient client = connect()) {
			frame(client, "BEGIN", "transaction:1");
			frame(client, "BEGIN", "transaction:2");
			client.send("BEGIN\ntransaction:3\n\n\0");
			assertThat(expectError(client).header("message")).contains("Too many open transactions");
		}
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
