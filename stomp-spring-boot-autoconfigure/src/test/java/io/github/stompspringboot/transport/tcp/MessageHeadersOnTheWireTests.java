package io.github.stompspringboot.transport.tcp;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a subscriber reads on the wire for a message with the sender's own headers: each
 * header written once, escaped the way the subscriber's STOMP version reads it, the
 * frame-level headers of the SEND left behind.
 */
class MessageHeadersOnTheWireTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@Test
	void stomp12SubscriberGetsTheSendersHeadersEscapedAndItsOwnAckId() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:sub-1\ndestination:/queue/orders\nack:client-individual\nreceipt:s\n\n\0");
			assertThat(consumer.receive().command()).isEqualTo("RECEIPT");
			producer.send("SEND\ndestination:/queue/orders\nreceipt:r1\nx-note:a\\cb\\\\c\\nd\n"
					+ "content-type:text/plain\n\nhello\0");
			assertThat(producer.receive().header("receipt-id")).isEqualTo("r1");

			Frame message = consumer.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.header("x-note")).isEqualTo("a\\cb\\\\c\\nd");
			assertThat(message.header("content-type")).isEqualTo("text/plain");
			assertThat(message.header("destination")).isEqualTo("/queue/orders");
			assertThat(message.header("subscription")).isEqualTo("sub-1");
			assertThat(message.header("message-id")).isNotBlank();
			assertThat(message.header("ack")).isNotBlank();
			assertThat(message.header("content-length")).isEqualTo("5");
			assertThat(message.headers()).doesNotContainKey("receipt");
			assertThat(message.bodyText()).isEqualTo("hello");

			consumer.send("ACK\nid:" + message.header("ack") + "\nreceipt:a1\n\n\0");
			assertThat(consumer.receive().header("receipt-id")).isEqualTo("a1");
		}
	}

	@Test
	void contentTypeReachesTheSubscriberExactlyAsTheSenderWroteIt() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:0\ndestination:/queue/typed\nreceipt:s\n\n\0");
			assertThat(consumer.receive().command()).isEqualTo("RECEIPT");
			producer.send("SEND\ndestination:/queue/typed\ncontent-type:text/plain; charset=UTF-8\n\nhi\0");
			Frame message = consumer.receive();
			assertThat(message.header("content-type")).isEqualTo("text/plain; charset=UTF-8");
		}
	}

	@Test
	void stomp10SubscriberGetsHeaderValuesUnescaped() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.0");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\ndestination:/topic/news\nreceipt:s\n\n\0");
			assertThat(consumer.receive().command()).isEqualTo("RECEIPT");
			producer.send("SEND\ndestination:/topic/news\nx-note:a\\cb\n\nhi\0");

			Frame message = consumer.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.header("x-note")).isEqualTo("a:b");
			assertThat(message.header("destination")).isEqualTo("/topic/news");
			assertThat(message.headers()).doesNotContainKey("ack");
			assertThat(message.bodyText()).isEqualTo("hi");
		}
	}

}
