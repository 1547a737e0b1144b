package io.github.stompspringboot.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.LargeFrameBrowser;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One frame-size limit for browsers and TCP clients alike
 * ({@code stomp.broker.limits.max-frame-size}, 4 MB by default): large frames cross
 * between a TCP client and a browser in both directions over plain WebSocket and SockJS,
 * and bytes that are not UTF-8 reach a WebSocket browser as they were sent.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"stomp.broker.heartbeat.send=300ms", "stomp.broker.heartbeat.receive=300ms" })
class BrowserFrameSizeTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Value("${local.stomp.port}")
	private int stompPort;

	@ParameterizedTest
	@EnumSource(Transport.class)
	void browsersTwentyThousandByteMessageReachesTcpSubscriber(Transport transport) throws Exception {
		// The reproduction: over plain WebSocket this closed the browser with 1009.
		byte[] body = "x".repeat(20_000).getBytes(StandardCharsets.UTF_8);
		browserToTcp(transport, "text/plain", body);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void oneMegabyteMessageCrossesFromBrowserToTcpAndBack(Transport transport) throws Exception {
		byte[] body = text(1024 * 1024);
		browserToTcp(transport, "text/plain", body);
		tcpToBrowser(transport, "text/plain", body);
	}

	@Test
	void allByteValuesCrossByteForByteOverPlainWebSocket() throws Exception {
		byte[] body = new byte[256];
		for (int i = 0; i < 256; i++) {
			body[i] = (byte) i;
		}
		// No content-type: the broker cannot know it is binary, and the browser still
		// gets every byte.
		tcpToBrowser(Transport.WEBSOCKET, null, body);
		tcpToBrowser(Transport.WEBSOCKET, "application/octet-stream", body);
		browserToTcp(Transport.WEBSOCKET, "application/octet-stream", body);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void allCodePointsOfTheFirst256CrossAsText(Transport transport) throws Exception {
		// SockJS frames are JSON text: it carries any text, NUL included, but not raw
		// bytes.
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 256; i++) {
			text.append((char) i);
		}
		byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
		tcpToBrowser(transport, "text/plain;charset=UTF-8", body);
		browserToTcp(transport, "text/plain;charset=UTF-8", body);
	}

	private void browserToTcp(Transport transport, String contentType, byte[] body) throws Exception {
		String topic = unique("/topic/large.");
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2");
				LargeFrameBrowser browser = LargeFrameBrowser.connect(transport, this.port)) {
			telnet.send("SUBSCRIBE\nid:0\ndestination:" + topic + "\nreceipt:sub\n\n\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			browser.send(topic, contentType, body);
			Frame message = telnet.receive(WAIT);
			assertThat(message.command()).as(() -> errorOf(browser)).isEqualTo("MESSAGE");
			assertThat(Arrays.equals(message.body(), body)).as("body of %d bytes arrived intact", body.length).isTrue();
			assertThat(browser.isConnected()).isTrue();
		}
	}

	private void tcpToBrowser(Transport transport, String contentType, byte[] body) throws Exception {
		String topic = unique("/topic/large.");
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2");
				LargeFrameBrowser browser = LargeFrameBrowser.connect(transport, this.port)) {
			BlockingQueue<byte[]> received = browser.subscribe(topic);
			ByteArrayOutputStream frame = new ByteArrayOutputStream();
			frame.writeBytes(("SEND\ndestination:" + topic + "\n"
					+ ((contentType != null) ? "content-type:" + contentType + "\n" : "") + "content-length:"
					+ body.length + "\nreceipt:sent\n\n")
				.getBytes(StandardCharsets.UTF_8));
			frame.writeBytes(body);
			frame.write(0);
			telnet.send(frame.toByteArray());
			assertThat(telnet.receive(WAIT).command()).isEqualTo("RECEIPT");
			byte[] got = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
			assertThat(got).as(() -> errorOf(browser)).isNotNull();
			assertThat(Arrays.equals(got, body)).as("body of %d bytes arrived intact (got %d)", body.length, got.length)
				.isTrue();
		}
	}

	private static String errorOf(LargeFrameBrowser browser) {
		try {
			return String.valueOf(browser.nextError(Duration.ofMillis(100)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private static byte[] text(int size) {
		byte[] body = new byte[size];
		for (int i = 0; i < size; i++) {
			body[i] = (byte) ('a' + (i % 26));
		}
		return body;
	}

	private static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().replace("-", "");
	}

}
