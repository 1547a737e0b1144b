package io.github.stompspringboot.transport.tcp;

import java.time.Duration;
import java.util.stream.Stream;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every violation of the protocol gets an ERROR frame whose {@code message} header says
 * what was wrong, then the connection closes; other clients keep working.
 */
class ProtocolErrorTests {

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	/**
	 * Version to CONNECT with first ({@code null}: none), the offending bytes, what the
	 * message must say.
	 */
	static Stream<Arguments> violations() {
		return Stream.of(arguments("SEND without destination", "1.2", "SEND\n\nhello\0", "destination"),
				arguments("SEND with empty destination", "1.2", "SEND\ndestination:\n\nhello\0", "destination"),
				arguments("SUBSCRIBE without destination", "1.2", "SUBSCRIBE\nid:1\n\n\0", "destination"),
				arguments("SUBSCRIBE without id in 1.2", "1.2", "SUBSCRIBE\ndestination:/queue/a\n\n\0", "'id'"),
				arguments("SUBSCRIBE without id in 1.1", "1.1", "SUBSCRIBE\ndestination:/queue/a\n\n\0", "'id'"),
				arguments("duplicate subscription id", "1.2",
						"SUBSCRIBE\nid:7\ndestination:/queue/a\n\n\0SUBSCRIBE\nid:7\ndestination:/queue/b\n\n\0",
						"Duplicate subscription id '7'"),
				arguments("UNSUBSCRIBE of an unknown id", "1.2", "UNSUBSCRIBE\nid:nope\n\n\0", "nope"),
				arguments("UNSUBSCRIBE without id", "1.2", "UNSUBSCRIBE\n\n\0", "'id'"),
				arguments("invalid ack mode", "1.2", "SUBSCRIBE\nid:1\ndestination:/queue/a\nack:sometimes\n\n\0",
						"sometimes"),
				arguments("unknown command", "1.2", "PUBLISH\ndestination:/queue/a\n\n\0", "Unknown command 'PUBLISH'"),
				arguments("lower-case command", "1.2", "send\ndestination:/queue/a\n\n\0", "Unknown command 'send'"),
				arguments("header line without colon", "1.2", "SEND\ndestination /queue/a\n\nx\0", "Malformed header"),
				arguments("header line with empty name", "1.2", "SEND\n:value\ndestination:/queue/a\n\nx\0",
						"Malformed header"),
				arguments("non-numeric content-length", "1.2", "SEND\ndestination:/queue/a\ncontent-length:ten\n\nx\0",
						"content-length"),
				arguments("negative content-length", "1.2", "SEND\ndestination:/queue/a\ncontent-length:-1\n\nx\0",
						"content-length"),
				arguments("body longer than content-length", "1.2",
						"SEND\ndestination:/queue/a\ncontent-length:3\n\nhello\0", "content-length"),
				arguments("SEND before CONNECT", null, "SEND\ndestination:/queue/a\n\nhello\0", "CONNECT"),
				arguments("SUBSCRIBE before CONNECT", null, "SUBSCRIBE\nid:1\ndestination:/queue/a\n\n\0", "CONNECT"),
				arguments("MESSAGE from a client", "1.2", "MESSAGE\ndestination:/queue/a\nmessage-id:1\n\nx\0",
						"MESSAGE"),
				arguments("CONNECTED from a client", "1.2", "CONNECTED\nversion:1.2\n\n\0", "CONNECTED"),
				arguments("RECEIPT from a client", "1.2", "RECEIPT\nreceipt-id:1\n\n\0", "RECEIPT"),
				arguments("ERROR from a client", "1.2", "ERROR\nmessage:oops\n\n\0", "ERROR"),
				arguments("NACK in 1.0", "1.0", "NACK\nmessage-id:1\n\n\0", "NACK"),
				arguments("ACK of an unknown message", "1.2",
						"SUBSCRIBE\nid:1\ndestination:/queue/a\nack:client\n\n\0" + "ACK\nid:1|no-such-message\n\n\0",
						"unknown message"),
				arguments("undefined escape \\t in 1.2", "1.2", "SEND\ndestination:/queue/a\nx:a\\tb\n\n\0", "escape"),
				arguments("trailing backslash in 1.2", "1.2", "SEND\ndestination:/queue/a\nx:a\\\n\n\0", "escape"),
				arguments("escape \\r in 1.1", "1.1", "SEND\ndestination:/queue/a\nx:a\\rb\n\n\0", "escape"),
				arguments("invalid heart-beat header", null, "CONNECT\naccept-version:1.2\nheart-beat:fast\n\n\0",
						"heart-beat"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("violations")
	void violationGetsErrorWithActionableMessageThenCloseWhileOthersKeepWorking(String description, String version,
			String offending, String expectedInMessage) throws Exception {
		try (RawStompClient bystander = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient offender = (version != null) ? RawStompClient.connect(this.broker.port(), version)
						: new RawStompClient(this.broker.port())) {
			bystander.subscribe("b", "/queue/bystander", null);

			offender.send(offending);
			Frame error = offender.expect("ERROR");
			assertThat(error.header("message")).as(description).contains(expectedInMessage);
			assertThat(error.bodyText()).as("no stack trace on the wire").doesNotContain("Exception", "\tat ");
			assertThat(offender.awaitClosed(CLOSE_TIMEOUT)).as("closed after the ERROR").isTrue();

			try (RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
				producer.sendWithReceipt("/queue/bystander", "still here");
			}
			Frame message = bystander.expect("MESSAGE");
			assertThat(message.bodyText()).isEqualTo("still here");
		}
	}

	@Test
	void errorNamesTheReceiptOfTheFrameThatCausedIt() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			client.send("SEND\nreceipt:bad-send-1\n\nno destination\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("receipt-id")).isEqualTo("bad-send-1");
			assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
	}

	@Test
	void errorExplainsItselfInAPlainTextBody() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			client.send("SUBSCRIBE\ndestination:/queue/a\n\n\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("content-type")).startsWith("text/plain");
			assertThat(error.header("content-length")).isEqualTo(String.valueOf(error.body().length));
			assertThat(error.bodyText()).contains("SUBSCRIBE");
		}
	}

	@Test
	void framesAfterTheOffendingOneInTheSameWriteAreIgnored() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.2")) {
			client.send("BOGUS\n\n\0SEND\ndestination:/queue/ignored\nreceipt:r\n\nx\0");
			assertThat(client.expect("ERROR").header("message")).contains("BOGUS");
			assertThat(client.awaitClosed(CLOSE_TIMEOUT)).isTrue();
		}
		assertThat(this.broker.broker().destinations().find("/queue/ignored")).isNull();
	}

	@Test
	void subscribeWithoutIdIsAllowedIn10() throws Exception {
		try (RawStompClient client = RawStompClient.connect(this.broker.port(), "1.0")) {
			client.send("SUBSCRIBE\ndestination:/queue/old\nreceipt:s\n\n\0");
			client.expect("RECEIPT");
			client.send("SEND\ndestination:/queue/old\n\nfor 1.0\0");
			Frame message = client.expect("MESSAGE");
			assertThat(message.bodyText()).isEqualTo("for 1.0");
			client.send("UNSUBSCRIBE\ndestination:/queue/old\nreceipt:u\n\n\0");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("u");
		}
	}

}
