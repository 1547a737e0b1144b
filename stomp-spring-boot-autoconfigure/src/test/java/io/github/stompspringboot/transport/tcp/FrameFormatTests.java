package io.github.stompspringboot.transport.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How frames look on the wire: line ends, EOLs between frames, bodies, header escaping
 * per version in both directions, repeated headers, and frames split or batched across
 * writes.
 */
class FrameFormatTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension()
		.settings((settings) -> settings.setServerName("odd:name\\x"));

	private RawStompClient connect(String version) throws Exception {
		return RawStompClient.connect(this.broker.port(), version);
	}

	@Test
	void crlfLineEndsAreAcceptedAndNotPartOfHeaderValues() throws Exception {
		try (RawStompClient consumer = connect("1.2");
				RawStompClient producer = new RawStompClient(this.broker.port())) {
			consumer.subscribe("1", "/queue/crlf", null);
			producer.send("CONNECT\r\naccept-version:1.2\r\nhost:localhost\r\n\r\n\0");
			producer.expect("CONNECTED");
			producer.send("SEND\r\ndestination:/queue/crlf\r\ncolour:blue\r\n\r\nbody\0");
			Frame message = consumer.expect("MESSAGE");
			assertThat(message.header("destination")).isEqualTo("/queue/crlf");
			assertThat(message.header("colour")).isEqualTo("blue");
			assertThat(message.bodyText()).isEqualTo("body");
		}
	}

	@Test
	void anyNumberOfEolsMayComeBetweenFrames() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("\n\r\n\nCONNECT\naccept-version:1.2\n\n\0\n\n\r\n\n\n");
			client.expect("CONNECTED");
			client.send(
					"\r\n\r\n\nSUBSCRIBE\nid:1\ndestination:/queue/eol\n\n\0\n\n\n\nSEND\ndestination:/queue/eol\n\nA\0"
							+ "\r\n\r\n\r\n\r\nSEND\ndestination:/queue/eol\n\nB\0");
			assertThat(client.expect("MESSAGE").bodyText()).isEqualTo("A");
			assertThat(client.expect("MESSAGE").bodyText()).isEqualTo("B");
		}
	}

	@Test
	void bodyHoldingNulBytesArrivesWholeWhenContentLengthIsGiven() throws Exception {
		byte[] body = { 'a', 0, 'b', 0, 0, 'c', (byte) 0xff };
		try (RawStompClient client = connect("1.2")) {
			client.subscribe("1", "/queue/binary", null);
			ByteArrayOutputStream frame = new ByteArrayOutputStream();
			frame.write(("SEND\ndestination:/queue/binary\ncontent-type:application/octet-stream\ncontent-length:"
					+ body.length + "\n\n")
				.getBytes(StandardCharsets.UTF_8));
			frame.write(body);
			frame.write(0);
			client.send(frame.toByteArray());
			Frame message = client.expect("MESSAGE");
			assertThat(message.header("content-length")).isEqualTo("7");
			assertThat(message.header("content-type")).isEqualTo("application/octet-stream");
			assertThat(message.body()).isEqualTo(body);
		}
	}

	@Test
	void emptyBodiesAreDeliveredWithContentLengthZero() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			client.subscribe("1", "/queue/empty", null);
			client.send("SEND\ndestination:/queue/empty\n\n\0SEND\ndestination:/queue/empty\ncontent-length:0\n\n\0");
			for (int i = 0; i < 2; i++) {
				Frame message = client.expect("MESSAGE");
				assertThat(message.header("content-length")).isEqualTo("0");
				assertThat(message.body()).isEmpty();
			}
		}
	}

	@Test
	void frameArrivingOneByteAtATimeIsDecoded() throws Exception {
		String frames = "CONNECT\r\naccept-version:1.2\r\nhost:localhost\r\n\r\n\0\r\n"
				+ "SUBSCRIBE\nid:1\ndestination:/queue/trickle\n\n\0\n"
				+ "SEND\ndestination:/queue/trickle\ncontent-length:5\nx:a\\cb\n\nhe\0lo\0\n"
				+ "SEND\ndestination:/queue/trickle\n\nworld\0";
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			for (byte b : frames.getBytes(StandardCharsets.UTF_8)) {
				client.send(new byte[] { b });
			}
			client.expect("CONNECTED");
			Frame first = client.expect("MESSAGE");
			assertThat(first.body()).isEqualTo(new byte[] { 'h', 'e', 0, 'l', 'o' });
			assertThat(first.header("x")).isEqualTo("a\\cb");
			assertThat(client.expect("MESSAGE").bodyText()).isEqualTo("world");
		}
	}

	@Test
	void manyFramesInOneWriteAreAllHandledInOrder() throws Exception {
		StringBuilder frames = new StringBuilder("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0"
				+ "SUBSCRIBE\nid:1\ndestination:/queue/batch\n\n\0");
		for (int i = 0; i < 200; i++) {
			frames.append("SEND\ndestination:/queue/batch\n\n").append(i).append('\0');
		}
		frames.append("DISCONNECT\nreceipt:done\n\n\0");
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send(frames.toString());
			client.expect("CONNECTED");
			for (int i = 0; i < 200; i++) {
				assertThat(client.expect("MESSAGE").bodyText()).isEqualTo(String.valueOf(i));
			}
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("done");
		}
	}

	@Test
	void framesBatchedBehindA10ConnectAreReadThe10Way() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("CONNECT\n\n\0SUBSCRIBE\ndestination:/queue/batch10\n\n\0"
					+ "SEND\ndestination:/queue/batch10\npath:C:\\temp\\new\n\nx\0");
			assertThat(client.expect("CONNECTED").header("version")).isEqualTo("1.0");
			assertThat(client.expect("MESSAGE").header("path")).isEqualTo("C:\\temp\\new");
		}
	}

	@Test
	void backslashPassesThroughLiterallyIn10() throws Exception {
		try (RawStompClient old = connect("1.0"); RawStompClient modern = connect("1.2")) {
			old.send("SUBSCRIBE\ndestination:/topic/paths\nreceipt:s\n\n\0");
			old.expect("RECEIPT");
			modern.subscribe("1", "/topic/paths", null);
			old.send("SEND\ndestination:/topic/paths\npath:C:\\temp\\new\n\nx\0");
			assertThat(old.expect("MESSAGE").headerLines()).contains("path:C:\\temp\\new");
			assertThat(modern.expect("MESSAGE").headerLines()).contains("path:C\\c\\\\temp\\\\new");
		}
	}

	@Test
	void headersEscapedIn11AreUnescapedAndEscapedAgainPerReceiverVersion() throws Exception {
		try (RawStompClient sender = connect("1.1");
				RawStompClient v11 = connect("1.1");
				RawStompClient v12 = connect("1.2");
				RawStompClient v10 = connect("1.0")) {
			v11.subscribe("1", "/topic/escapes", null);
			v12.subscribe("1", "/topic/escapes", null);
			v10.send("SUBSCRIBE\ndestination:/topic/escapes\nreceipt:s\n\n\0");
			v10.expect("RECEIPT");
			sender.send("SEND\ndestination:/topic/escapes\nkey\\cname:a\\cb\\\\c\n\nx\0");
			assertThat(v11.expect("MESSAGE").headerLines()).contains("key\\cname:a\\cb\\\\c");
			assertThat(v12.expect("MESSAGE").headerLines()).contains("key\\cname:a\\cb\\\\c");
			// 1.0 has no escaping: the first colon ends the name, the rest is the value
			assertThat(v10.expect("MESSAGE").headerLines()).contains("key:name:a:b\\c");
		}
	}

	@Test
	void newlineInAHeaderValueTravelsEscaped() throws Exception {
		try (RawStompClient sender = connect("1.2"); RawStompClient v11 = connect("1.1")) {
			v11.subscribe("1", "/queue/newline", null);
			sender.send("SEND\ndestination:/queue/newline\nlines:one\\ntwo\n\nx\0");
			assertThat(v11.expect("MESSAGE").headerLines()).contains("lines:one\\ntwo");
		}
	}

	@Test
	void lineBreaksInHeaderValuesCannotInjectHeadersInto10Frames() throws Exception {
		try (RawStompClient sender = connect("1.2"); RawStompClient v10 = connect("1.0")) {
			v10.send("SUBSCRIBE\ndestination:/queue/inject\nreceipt:s\n\n\0");
			v10.expect("RECEIPT");
			sender.send("SEND\ndestination:/queue/inject\nnote:a\\ndestination:/queue/evil\ncr:x\\ry\n\nbody\0");
			Frame message = v10.expect("MESSAGE");
			// 1.0 cannot escape a line break: it travels as a space instead of ending the
			// header line
			assertThat(message.headerLines()).contains("note:a destination:/queue/evil", "cr:x y");
			assertThat(message.headerLines()).filteredOn((line) -> line.startsWith("destination:"))
				.containsExactly("destination:/queue/inject");
			assertThat(message.bodyText()).isEqualTo("body");
		}
	}

	@Test
	void carriageReturnIsEscapedIn12() throws Exception {
		try (RawStompClient sender = connect("1.2"); RawStompClient receiver = connect("1.2")) {
			receiver.subscribe("1", "/queue/cr", null);
			sender.send("SEND\ndestination:/queue/cr\ncr:a\\rb\n\nx\0");
			assertThat(receiver.expect("MESSAGE").headerLines()).contains("cr:a\\rb");
		}
	}

	@Test
	void connectHeadersAreNeverUnescaped() throws Exception {
		try (RawStompClient client = new RawStompClient(this.broker.port())) {
			client.send("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:domain\\user\npasscode:p\\t\n\n\0");
			assertThat(client.expect("CONNECTED").header("version")).isEqualTo("1.2");
		}
	}

	@Test
	void connectedHeadersAreNeverEscaped() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			assertThat(client.connected().headerLines()).contains("server:odd:name\\x");
		}
	}

	@Test
	void whenAHeaderRepeatsTheFirstValueCounts() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			client.subscribe("1", "/queue/first", null);
			client.subscribe("2", "/queue/second", null);
			client.send("SEND\ndestination:/queue/first\ndestination:/queue/second\nx:1\nx:2\n\nbody\0");
			Frame message = client.expect("MESSAGE");
			assertThat(message.header("destination")).isEqualTo("/queue/first");
			assertThat(message.header("subscription")).isEqualTo("1");
			assertThat(message.headerLines()).contains("x:1").doesNotContain("x:2");
			assertThat(this.broker.broker().destinations().depth("/queue/second")).isZero();
		}
	}

	@Test
	void messageCarriesTheSendersCustomHeadersContentTypeAndContentLength() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			client.subscribe("sub-9", "/queue/headers", null);
			byte[] body = "héllo wörld".getBytes(StandardCharsets.UTF_8);
			client.send("SEND\ndestination:/queue/headers\ncontent-type:text/plain;charset=UTF-8\npriority:high\n"
					+ "x-trace: spaced value \nreceipt:r1\ntransaction-less:yes\n\nhéllo wörld\0");
			Frame message = client.expect("MESSAGE");
			assertThat(message.header("destination")).isEqualTo("/queue/headers");
			assertThat(message.header("subscription")).isEqualTo("sub-9");
			assertThat(message.header("message-id")).isNotBlank();
			assertThat(message.header("content-type")).isEqualTo("text/plain;charset=UTF-8");
			assertThat(message.header("content-length")).isEqualTo(String.valueOf(body.length));
			assertThat(message.header("priority")).isEqualTo("high");
			assertThat(message.header("x-trace")).isEqualTo(" spaced value ");
			assertThat(message.header("transaction-less")).isEqualTo("yes");
			assertThat(message.header("receipt")).as("frame-level headers stay behind").isNull();
			assertThat(message.header("ack")).as("auto mode needs no ack header").isNull();
			assertThat(message.bodyText()).isEqualTo("héllo wörld");
			assertThat(client.expect("RECEIPT").header("receipt-id")).isEqualTo("r1");
		}
	}

	@Test
	void senderCannotForgeTheBrokersMessageHeaders() throws Exception {
		try (RawStompClient client = connect("1.2")) {
			client.subscribe("real", "/queue/forge", null);
			client.send("SEND\ndestination:/queue/forge\nmessage-id:forged\nsubscription:fake\nack:fake\n\nx\0");
			Frame message = client.expect("MESSAGE");
			assertThat(message.header("message-id")).isNotEqualTo("forged");
			assertThat(message.header("subscription")).isEqualTo("real");
			assertThat(message.header("ack")).isNull();
		}
	}

}
