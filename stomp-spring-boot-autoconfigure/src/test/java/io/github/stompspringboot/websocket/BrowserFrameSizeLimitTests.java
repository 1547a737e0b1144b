package io.github.stompspringboot.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.LargeFrameBrowser;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over {@code stomp.broker.limits.max-frame-size} a browser gets the ERROR a TCP client
 * gets ("Frame too large"), whether the frame is just over the limit (judged by the
 * broker) or far over it (judged by Spring's STOMP decoder), never a WebSocket close code
 * 1009.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.limits.max-frame-size=64KB" })
class BrowserFrameSizeLimitTests {

	private static final int LIMIT = 64 * 1024;

	@LocalServerPort
	private int port;

	@Value("${local.stomp.port}")
	private int stompPort;

	@ParameterizedTest
	@CsvSource({ "WEBSOCKET, 65537", "SOCKJS, 65537", "WEBSOCKET, 2000000", "SOCKJS, 2000000" })
	void frameOverTheLimitGetsTheSameErrorAsOverTcp(Transport transport, int bodySize) throws Exception {
		byte[] body = "y".repeat(bodySize).getBytes(StandardCharsets.UTF_8);
		try (LargeFrameBrowser browser = LargeFrameBrowser.connect(transport, this.port)) {
			browser.send("/topic/too.large", "text/plain", body);
			String error = browser.nextStompError(Duration.ofSeconds(20));
			assertThat(error).startsWith("ERROR Frame too large: ").contains(String.valueOf(LIMIT));
			await().atMost(Duration.ofSeconds(10)).until(() -> !browser.isConnected());
		}
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			// The same frame's start: the broker judges it by its content-length before
			// the body.
			telnet.send("SEND\ndestination:/topic/too.large\ncontent-length:" + bodySize + "\n\nyyyy");
			Frame error = telnet.receive(Duration.ofSeconds(20));
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).isEqualTo("Frame too large");
		}
	}

	@ParameterizedTest
	@CsvSource({ "WEBSOCKET", "SOCKJS" })
	void frameJustUnderTheLimitIsAccepted(Transport transport) throws Exception {
		byte[] body = "z".repeat(LIMIT).getBytes(StandardCharsets.UTF_8);
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2");
				LargeFrameBrowser browser = LargeFrameBrowser.connect(transport, this.port)) {
			telnet.send("SUBSCRIBE\nid:0\ndestination:/topic/at.limit\nreceipt:sub\n\n\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			browser.send("/topic/at.limit", "text/plain", body);
			Frame message = telnet.receive(Duration.ofSeconds(20));
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.body()).hasSize(LIMIT);
		}
	}

}
