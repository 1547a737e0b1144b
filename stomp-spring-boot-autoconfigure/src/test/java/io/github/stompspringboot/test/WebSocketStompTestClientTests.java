package io.github.stompspringboot.test;

import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's test of a WebSocket application: no port properties (the STOMP listener gets a
 * free one), a browser-like client on {@code /stomp} and a TCP client on
 * {@code @LocalStompPort}.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class WebSocketStompTestClientTests {

	@LocalServerPort
	int httpPort;

	@LocalStompPort
	int stompPort;

	@Test
	void controllerAnswersOverWebSocketAndTcpClientsSeeTheTopic() throws Exception {
		assertThat(this.stompPort).isPositive().isNotEqualTo(61613);
		try (StompTestClient browser = StompTestClient.webSocket("ws://127.0.0.1:" + this.httpPort + "/stomp")
			.connect(); StompTestClient telnet = StompTestClient.tcp(this.stompPort).connect()) {
			StompTestClient.Subscription browserEcho = browser.subscribe("/topic/echo");
			StompTestClient.Subscription tcpEcho = telnet.subscribe("/topic/echo");
			browser.send("/app/echo", "hi");
			assertThat(browserEcho.awaitMessage().body()).isEqualTo("echo:hi");
			assertThat(tcpEcho.awaitMessage().body()).isEqualTo("echo:hi");
		}
	}

	@Test
	void ackAndNackOverWebSocketGoThroughTheRelay() throws Exception {
		try (StompTestClient browser = StompTestClient.webSocket("ws://127.0.0.1:" + this.httpPort + "/stomp")
			.connect()) {
			StompTestClient.Subscription jobs = browser.subscribe("/queue/ws-jobs", "client-individual");
			browser.send("/queue/ws-jobs", "job");
			browser.nack(jobs.awaitMessage());
			StompFrame again = jobs.awaitMessage();
			assertThat(again.body()).isEqualTo("job");
			browser.ack(again);
		}
	}

}
