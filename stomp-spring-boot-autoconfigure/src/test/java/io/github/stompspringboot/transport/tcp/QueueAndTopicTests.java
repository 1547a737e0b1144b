package io.github.stompspringboot.transport.tcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.broker.Destination;
import io.github.stompspringboot.broker.DestinationType;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Point-to-point queues and publish-subscribe topics, subscriptions, acknowledgement
 * headers and receipts, seen by real clients over TCP.
 */
class QueueAndTopicTests {

	private static final Duration QUIET = Duration.ofMillis(300);

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	private RawStompClient connect(String version) throws Exception {
		return RawStompClient.connect(this.broker.port(), version);
	}

	@Test
	void queuedMessageWaitsForAConsumer() throws Exception {
		try (RawStompClient producer = connect("1.2")) {
			producer.sendWithReceipt("/queue/waiting", "first");
			producer.sendWithReceipt("/queue/waiting", "second");
		}
		assertThat(this.broker.broker().destinations().depth("/queue/waiting")).isEqualTo(2);
		try (RawStompClient consumer = connect("1.2")) {
			consumer.subscribe("1", "/queue/waiting", null);
			assertThat(consumer.expect("MESSAGE").bodyText()).isEqualTo("first");
			assertThat(consumer.expect("MESSAGE").bodyText()).isEqualTo("second");
		}
		assertThat(this.broker.broker().destinations().depth("/queue/waiting")).isZero();
	}

	@Test
	void competingConsumersShareAQueueRoundRobinEachMessageExactlyOnce() throws Exception {
		int perConsumer = 20;
		List<RawStompClient> consumers = new ArrayList<>();
		try (RawStompClient producer = connect("1.2")) {
			for (int i = 0; i < 3; i++) {
				consumers.add(connect("1.2"));
				consumers.get(i).subscribe("c" + i, "/queue/work", null);
			}
			for (int i = 0; i < 3 * perConsumer; i++) {
				producer.send("SEND\ndestination:/queue/work\n\njob-" + i + "\0");
			}
			producer.sendWithReceipt("/queue/other", "barrier");
			Set<String> seen = new HashSet<>();
			for (RawStompClient consumer : consumers) {
				for (int i = 0; i < perConsumer; i++) {
					assertThat(seen.add(consumer.expect("MESSAGE").bodyText())).as("delivered once").isTrue();
				}
				assertThat(consumer.readFor(QUIET)).as("no more than its share").isEmpty();
			}
			assertThat(seen).hasSize(3 * perConsumer);
		}
		finally {
			for (RawStompClient consumer : consumers) {
				consumer.close();
			}
		}
	}

	@Test
	void messagesFromOneProducerToOneQueueArriveInOrder() throws Exception {
		try (RawStompClient consumer = connect("1.2"); RawStompClient producer = connect("1.2")) {
			consumer.subscribe("1", "/queue/ordered", null);
			StringBuilder batch = new StringBuilder();
			for (int i = 0; i < 1000; i++) {
				batch.append("SEND\ndestination:/queue/ordered\n\n").append(i).append('\0');
				if (i % 50 == 49) {
					producer.send(batch.toString());
					batch.setLength(0);
				}
			}
			for (int i = 0; i < 1000; i++) {
				assertThat(consumer.expect("MESSAGE").bodyText()).isEqualTo(String.valueOf(i));
			}
		}
	}

	@Test
	void messagesWaitingInAQueueKeepTheirOrderWhenTheConsumerComes() throws Exception {
		try (RawStompClient producer = connect("1.2")) {
			for (int i = 0; i < 500; i++) {
				producer.send("SEND\ndestination:/queue/backlog\n\n" + i + "\0");
			}
			producer.sendWithReceipt("/queue/elsewhere", "barrier");
		}
		try (RawStompClient consumer = connect("1.2")) {
			consumer.subscribe("1", "/queue/backlog", null);
			for (int i = 0; i < 500; i++) {
				assertThat(consumer.expect("MESSAGE").bodyText()).isEqualTo(String.valueOf(i));
			}
		}
	}

	@Test
	void everyTopicSubscriberGetsEachMessage() throws Exception {
		List<RawStompClient> subscribers = new ArrayList<>();
		try (RawStompClient producer = connect("1.2")) {
			for (int i = 0; i < 3; i++) {
				subscribers.add(connect((i == 0) ? "1.0" : "1." + i));
			}
			subscribers.get(0).send("SUBSCRIBE\ndestination:/topic/news\nreceipt:s\n\n\0");
			subscribers.get(0).expect("RECEIPT");
			subscribers.get(1).subscribe("a", "/topic/news", null);
			subscribers.get(2).subscribe("b", "/topic/news", null);
			for (int i = 0; i < 10; i++) {
				producer.send("SEND\ndestination:/topic/news\n\nnews-" + i + "\0");
			}
			for (RawStompClient subscriber : subscribers) {
				for (int i = 0; i < 10; i++) {
					assertThat(subscriber.expect("MESSAGE").bodyText()).isEqualTo("news-" + i);
				}
			}
		}
		finally {
			for (RawStompClient subscriber : subscribers) {
				subscriber.close();
			}
		}
	}

	@Test
	void topicKeepsNothingWhenNobodySubscribes() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			client.sendWithReceipt("/topic/void", "lost");
			client.subscribe("1", "/topic/void", null);
			client.send("SEND\ndestination:/topic/void\n\nheard\0");
			assertThat(client.expect("MESSAGE").bodyText()).isEqualTo("heard");
			assertThat(client.readFor(QUIET)).isEmpty();
		}
		assertThat(this.broker.broker().destinations().depth("/topic/void")).isZero();
	}

	@Test
	void nameWithoutPrefixIsAQueue() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			client.sendWithReceipt("plainName", "kept");
			Destination destination = this.broker.broker().destinations().find("plainName");
			assertThat(destination.type()).isEqualTo(DestinationType.QUEUE);
			assertThat(destination.depth()).isOne();
		}
	}

	@Test
	void prefixesAndTheDefaultTypeAreSettings() throws Exception {
		try (EmbeddedBroker custom = EmbeddedBroker
			.start((settings) -> settings.setQueuePrefixes(List.of("/amq/queue/"))
				.setTopicPrefixes(List.of("/exchange/", "/fanout/"))
				.setDefaultDestinationType(DestinationType.TOPIC));
				RawStompClient client = RawStompClient.connect(custom.port(), "1.2")) {
			client.sendWithReceipt("/amq/queue/jobs", "kept");
			client.sendWithReceipt("/exchange/prices", "dropped");
			client.sendWithReceipt("/fanout/x", "dropped");
			client.sendWithReceipt("/queue/now-a-topic", "dropped");
			client.sendWithReceipt("bare", "dropped");
			assertThat(custom.broker().destinations().find("/amq/queue/jobs").type()).isEqualTo(DestinationType.QUEUE);
			assertThat(custom.broker().destinations().depth("/amq/queue/jobs")).isOne();
			for (String topic : List.of("/exchange/prices", "/fanout/x", "/queue/now-a-topic", "bare")) {
				assertThat(custom.broker().destinations().find(topic).type()).as(topic)
					.isEqualTo(DestinationType.TOPIC);
			}
		}
	}

	@Test
	void receiptsAnswerSendSubscribeUnsubscribeAndAck() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			client.send("SUBSCRIBE\nid:1\ndestination:/queue/receipts\nack:client-individual\nreceipt:sub\n\n\0");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("sub");
			client.send("SEND\ndestination:/queue/receipts\nreceipt:send\n\nx\0");
			Frame message = client.expect("MESSAGE");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("send");
			client.send("ACK\nid:" + message.header("ack") + "\nreceipt:ack\n\n\0");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("ack");
			client.send("UNSUBSCRIBE\nid:1\nreceipt:unsub\n\n\0");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("unsub");
		}
	}

	@Test
	void unsubscribedClientGetsNoMoreMessages() throws Exception {
		try (RawStompClient client = connect("1.2"); RawStompClient producer = connect("1.2")) {
			client.subscribe("1", "/topic/leaving", null);
			client.send("UNSUBSCRIBE\nid:1\nreceipt:u\n\n\0");
			client.expect("RECEIPT");
			producer.sendWithReceipt("/topic/leaving", "unheard");
			assertThat(client.readFor(QUIET)).isEmpty();
		}
	}

	@Test
	void messageCarriesAnAckHeaderIn12ClientModesOnly() throws Exception {
		try (RawStompClient v12 = connect("1.2"); RawStompClient v11 = connect("1.1")) {
			v12.subscribe("auto", "/topic/ack", "auto");
			v12.subscribe("client", "/topic/ack", "client");
			v12.subscribe("individual", "/topic/ack", "client-individual");
			v11.subscribe("client", "/topic/ack", "client");
			v11.sendWithReceipt("/topic/ack", "x");
			for (int i = 0; i < 3; i++) {
				Frame message = v12.expect("MESSAGE");
				if (message.header("subscription").equals("auto")) {
					assertThat(message.header("ack")).isNull();
				}
				else {
					assertThat(message.header("ack")).isNotBlank();
				}
			}
			Frame old = v11.expect("MESSAGE");
			assertThat(old.header("ack")).isNull();
			v11.send("ACK\nsubscription:client\nmessage-id:" + old.header("message-id") + "\nreceipt:a\n\n\0");
			assertThat(v11.expect("RECEIPT").header("receipt-id")).isEqualTo("a");
		}
	}

	@Test
	void unacknowledgedQueueMessageGoesToAnotherConsumerWhenItsConsumerLeaves() throws Exception {
		try (RawStompClient second = connect("1.2"); RawStompClient producer = connect("1.2")) {
			try (RawStompClient first = connect("1.2")) {
				first.subscribe("1", "/queue/unacked", "client");
				producer.sendWithReceipt("/queue/unacked", "precious");
				assertThat(first.expect("MESSAGE").bodyText()).isEqualTo("precious");
			}
			second.subscribe("2", "/queue/unacked", "client");
			Frame redelivered = second.expect("MESSAGE");
			assertThat(redelivered.bodyText()).isEqualTo("precious");
			assertThat(redelivered.header("redelivered")).isEqualTo("true");
		}
	}

}
