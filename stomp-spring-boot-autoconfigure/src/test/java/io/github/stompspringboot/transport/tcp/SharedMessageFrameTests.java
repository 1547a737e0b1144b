package io.github.stompspringboot.transport.tcp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP transport encodes what every copy of a message shares once per message and
 * STOMP version, and writes each subscriber's own headers after it; a frame written on a
 * connection's own event loop skips the outbound FIFO. These tests fail if sharing leaks
 * one subscriber's headers or one version's escaping into another's frame, or if writes
 * from two threads reorder a queue's messages.
 */
class SharedMessageFrameTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@Test
	void everySubscriberOfOneMessageGetsItsOwnSubscriptionAndAckHeaders() throws Exception {
		try (RawStompClient auto = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient individual = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient cumulative = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			auto.subscribe("first", "/topic/shared", "auto");
			// An id that needs escaping: it is written per subscriber, after the shared
			// part.
			individual.send("SUBSCRIBE\nid:second\\cone\ndestination:/topic/shared\nack:client-individual\n"
					+ "receipt:s\n\n\0");
			individual.awaitReceipt("s");
			cumulative.subscribe("third", "/topic/shared", "client");
			producer.send("SEND\ndestination:/topic/shared\nx-note:shared\\cpart\nreceipt:r\n\nhello\0");
			producer.awaitReceipt("r");

			Frame toAuto = auto.expect("MESSAGE");
			Frame toIndividual = individual.expect("MESSAGE");
			Frame toCumulative = cumulative.expect("MESSAGE");

			assertThat(toAuto.header("subscription")).isEqualTo("first");
			assertThat(toAuto.headers()).doesNotContainKey("ack");
			assertThat(toIndividual.headerLines()).contains("subscription:second\\cone");
			assertThat(toCumulative.header("subscription")).isEqualTo("third");
			assertThat(toIndividual.header("ack")).startsWith("second\\cone|");
			assertThat(toCumulative.header("ack")).startsWith("third|");
			for (Frame frame : List.of(toAuto, toIndividual, toCumulative)) {
				assertThat(frame.header("message-id")).isEqualTo(toAuto.header("message-id"));
				assertThat(frame.headerLines()).contains("x-note:shared\\cpart", "destination:/topic/shared",
						"content-length:5");
				assertThat(frame.bodyText()).isEqualTo("hello");
				assertEachHeaderOnce(frame);
			}
			// Each ack id is that subscriber's own: the broker takes it, it is no
			// other's.
			individual.send("ACK\nid:" + toIndividual.header("ack") + "\nreceipt:a1\n\n\0");
			individual.awaitReceipt("a1");
			cumulative.send("ACK\nid:" + toCumulative.header("ack") + "\nreceipt:a2\n\n\0");
			cumulative.awaitReceipt("a2");
		}
	}

	@Test
	void oneMessageIsEscapedTheWayEachSubscribersVersionReadsIt() throws Exception {
		try (RawStompClient v10 = RawStompClient.connect(this.broker.port(), "1.0");
				RawStompClient v11 = RawStompClient.connect(this.broker.port(), "1.1");
				RawStompClient v12 = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient v12Again = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			v10.send("SUBSCRIBE\nid:s:1\ndestination:/topic/escaped\nreceipt:s\n\n\0");
			v10.awaitReceipt("s");
			for (RawStompClient escaping : List.of(v11, v12)) {
				escaping.send("SUBSCRIBE\nid:s\\c1\ndestination:/topic/escaped\nreceipt:s\n\n\0");
				escaping.awaitReceipt("s");
			}
			v12Again.subscribe("other", "/topic/escaped", "auto");
			// colon, backslash, line feed and carriage return in one value
			producer.send("SEND\ndestination:/topic/escaped\nx-note:a\\cb\\\\c\\nd\\re\nreceipt:r\n\nhi\0");
			producer.awaitReceipt("r");

			Frame in10 = v10.expect("MESSAGE");
			Frame in11 = v11.expect("MESSAGE");
			Frame in12 = v12.expect("MESSAGE");
			Frame in12Again = v12Again.expect("MESSAGE");

			// 1.0 escapes nothing; a line break would end the header line, so it is a
			// space
			assertThat(in10.headerLines()).contains("x-note:a:b\\c d e", "subscription:s:1");
			// 1.1 escapes colon, backslash and line feed, not carriage return
			assertThat(in11.headerLines()).contains("x-note:a\\cb\\\\c\\nd\re", "subscription:s\\c1");
			// 1.2 escapes carriage return too
			assertThat(in12.headerLines()).contains("x-note:a\\cb\\\\c\\nd\\re", "subscription:s\\c1");
			assertThat(in12Again.headerLines()).contains("x-note:a\\cb\\\\c\\nd\\re", "subscription:other");
			for (Frame frame : List.of(in10, in11, in12, in12Again)) {
				assertThat(frame.bodyText()).isEqualTo("hi");
				assertEachHeaderOnce(frame);
			}
		}
	}

	@Test
	void twoSubscriptionsOfOneConnectionEachGetTheirOwnSubscriptionHeader() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.subscribe("x", "/topic/twice", "auto");
			consumer.subscribe("y", "/topic/twice", "client");
			for (int i = 0; i < 3; i++) {
				producer.sendWithReceipt("/topic/twice", "m" + i);
				Set<String> subscriptions = new HashSet<>();
				for (int copy = 0; copy < 2; copy++) {
					Frame message = consumer.expect("MESSAGE");
					assertThat(message.bodyText()).isEqualTo("m" + i);
					subscriptions.add(message.header("subscription"));
					if ("y".equals(message.header("subscription"))) {
						assertThat(message.header("ack")).startsWith("y|");
					}
					else {
						assertThat(message.headers()).doesNotContainKey("ack");
					}
					assertEachHeaderOnce(message);
				}
				assertThat(subscriptions).containsExactlyInAnyOrder("x", "y");
			}
		}
	}

	@Test
	void aRedeliveryIsMarkedAndTheFirstDeliveryIsNot() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.subscribe("c", "/queue/redelivered", "client-individual");
			producer.sendWithReceipt("/queue/redelivered", "again");
			Frame first = consumer.expect("MESSAGE");
			assertThat(first.headers()).doesNotContainKey("redelivered");
			consumer.send("NACK\nid:" + first.header("ack") + "\nreceipt:n\n\n\0");
			// the redelivery and the NACK's RECEIPT, in either order
			Frame second = consumer.receive();
			if ("RECEIPT".equals(second.command())) {
				second = consumer.receive();
			}
			assertThat(second.command()).isEqualTo("MESSAGE");
			assertThat(second.header("message-id")).isEqualTo(first.header("message-id"));
			assertThat(second.header("redelivered")).isEqualTo("true");
			assertThat(second.header("subscription")).isEqualTo("c");
			assertEachHeaderOnce(second);
		}
	}

	/**
	 * Deliveries to one consumer come from the producer's thread (a SEND finds the
	 * consumer ready) and from the consumer's own (its ACK frees the window and the queue
	 * drains): the consumer still reads the queue's order.
	 */
	@Test
	void aQueuesOrderHoldsWhenDeliveriesComeFromTheProducerAndFromAcks() throws Exception {
		int messages = 3000;
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:c\ndestination:/queue/ordered\nack:client-individual\nprefetch-count:7\n"
					+ "receipt:s\n\n\0");
			consumer.awaitReceipt("s");
			StringBuilder burst = new StringBuilder();
			for (int i = 0; i < messages; i++) {
				burst.append("SEND\ndestination:/queue/ordered\n\n").append(i).append('\0');
				if (i % 100 == 99) {
					producer.send(burst.toString());
					burst.setLength(0);
				}
			}
			List<Integer> received = new ArrayList<>();
			for (int i = 0; i < messages; i++) {
				Frame message = consumer.expect("MESSAGE");
				received.add(Integer.parseInt(message.bodyText()));
				consumer.send("ACK\nid:" + message.header("ack") + "\n\n\0");
			}
			for (int i = 0; i < messages; i++) {
				assertThat(received.get(i)).as("message %d", i).isEqualTo(i);
			}
		}
	}

	private static void assertEachHeaderOnce(Frame frame) {
		Set<String> names = new HashSet<>();
		for (String line : frame.headerLines()) {
			String name = line.substring(0, line.indexOf(':'));
			assertThat(names.add(name)).as("header %s written once in %s", name, frame.headerLines()).isTrue();
		}
	}

}
