package io.github.stompspringboot.transport.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.LargeFrameBrowser;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Browsers straight to the broker: STOMP over WebSocket on the broker's own TCP port, in
 * an application without a servlet container, next to STOMP clients on the same port.
 */
class BrokerPortWebSocketTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StompBrokerAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0");

	private void withBroker(ContextConsumer<AssertableApplicationContext> test, String... properties) {
		this.contextRunner.withPropertyValues(properties).run(test);
	}

	private static int port(AssertableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.stomp.port", Integer.class);
	}

	@Test
	void webSocketClientAndTcpClientShareTheBrokerPortAndItsTopics() {
		withBroker((context) -> {
			int port = port(context);
			try (RawStompClient telnet = RawStompClient.connect(port, "1.2");
					LargeFrameBrowser browser = LargeFrameBrowser.connect(Transport.WEBSOCKET, port)) {
				BlockingQueue<byte[]> news = browser.subscribe("/topic/news");
				telnet.send("SEND\ndestination:/topic/news\nreceipt:sent\n\nfrom telnet\0");
				assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
				assertThat(news.poll(10, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("from telnet");

				telnet.send("SUBSCRIBE\nid:0\ndestination:/queue/replies\nreceipt:sub\n\n\0");
				assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
				browser.send("/queue/replies", "text/plain", "from the browser".getBytes(StandardCharsets.UTF_8));
				Frame reply = telnet.receive(Duration.ofSeconds(10));
				assertThat(reply.command()).isEqualTo("MESSAGE");
				assertThat(reply.bodyText()).isEqualTo("from the browser");
			}
		});
	}

	@Test
	void largeAndNonUtf8BodiesCrossByteForByte() {
		withBroker((context) -> {
			int port = port(context);
			byte[] allBytes = new byte[256];
			for (int i = 0; i < 256; i++) {
				allBytes[i] = (byte) i;
			}
			byte[] megabyte = "m".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
			try (RawStompClient telnet = RawStompClient.connect(port, "1.2");
					LargeFrameBrowser browser = LargeFrameBrowser.connect(Transport.WEBSOCKET, port)) {
				BlockingQueue<byte[]> bodies = browser.subscribe("/topic/bytes");
				for (byte[] body : new byte[][] { allBytes, megabyte }) {
					ByteArrayOutputStream frame = new ByteArrayOutputStream();
					frame.writeBytes(("SEND\ndestination:/topic/bytes\ncontent-length:" + body.length + "\n\n")
						.getBytes(StandardCharsets.US_ASCII));
					frame.writeBytes(body);
					frame.write(0);
					telnet.send(frame.toByteArray());
					byte[] received = bodies.poll(20, TimeUnit.SECONDS);
					assertThat(received).isNotNull();
					assertThat(Arrays.equals(received, body)).as("%d bytes intact", body.length).isTrue();
				}
			}
		});
	}

	@Test
	void frameOverTheLimitGetsTheTcpError() {
		withBroker((context) -> {
			try (LargeFrameBrowser browser = LargeFrameBrowser.connect(Transport.WEBSOCKET, port(context))) {
				browser.send("/topic/big", "text/plain", "b".repeat(70_000).getBytes(StandardCharsets.UTF_8));
				assertThat(browser.nextStompError(Duration.ofSeconds(10))).startsWith("ERROR Frame too large");
				await().atMost(Duration.ofSeconds(10)).until(() -> !browser.isConnected());
			}
			try (LargeFrameBrowser browser = LargeFrameBrowser.connect(Transport.WEBSOCKET, port(context))) {
				// Over the WebSocket frame bound too: still the ERROR, not close code
				// 1009.
				browser.send("/topic/big", "text/plain", "b".repeat(2_000_000).getBytes(StandardCharsets.UTF_8));
				assertThat(browser.nextStompError(Duration.ofSeconds(10))).startsWith("ERROR Frame too large");
			}
		}, "stomp.broker.limits.max-frame-size=64KB");
	}

	@Test
	void pageFromAnotherOriginIsRefusedUnlessAllowed() {
		withBroker((context) -> {
			int port = port(context);
			assertThat(upgradeStatus(port, "/stomp", "http://evil.example")).contains(" 403 ");
			assertThat(upgradeStatus(port, "/stomp", "http://127.0.0.1:" + port)).contains(" 101 ");
			assertThat(upgradeStatus(port, "/stomp", null)).as("no browser, no Origin").contains(" 101 ");
			assertThat(upgradeStatus(port, "/other", "http://127.0.0.1:" + port)).contains(" 404 ");
		});
		withBroker((context) -> {
			int port = port(context);
			assertThat(upgradeStatus(port, "/stomp", "http://pages.example.com")).contains(" 101 ");
			assertThat(upgradeStatus(port, "/stomp", "http://evil.example")).contains(" 403 ");
		}, "stomp.websocket.allowed-origin-patterns=http://*.example.com");
	}

	@Test
	void webSocketCanBeTurnedOffLeavingStompClientsOnly() {
		withBroker((context) -> {
			int port = port(context);
			assertThat(upgradeStatus(port, "/stomp", null)).doesNotContain(" 101 ");
			try (RawStompClient telnet = RawStompClient.connect(port, "1.2")) {
				assertThat(telnet.connected().command()).isEqualTo("CONNECTED");
			}
		}, "stomp.broker.tcp.websocket.enabled=false");
	}

	/** The first line of the broker's answer to a browser's upgrade request. */
	private static String upgradeStatus(int port, String path, String origin) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(5000);
			String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v12.stomp\r\n"
					+ ((origin != null) ? "Origin: " + origin + "\r\n" : "") + "\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int i = 0; i < 200; i++) {
				int b;
				try {
					b = in.read();
				}
				catch (IOException ex) {
					break;
				}
				if (b < 0 || b == '\n') {
					break;
				}
				line.write(b);
			}
			return line.toString(StandardCharsets.US_ASCII) + " ";
		}
	}

}
