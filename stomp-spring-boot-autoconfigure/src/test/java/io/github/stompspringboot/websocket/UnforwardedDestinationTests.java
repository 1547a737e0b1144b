package io.github.stompspringboot.websocket;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.UUID;

import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser's frame for a destination Spring's relay does not forward (the seeds' bare
 * names such as {@code testSTOMP}) is answered with an ERROR naming it and the prefixes
 * that are served, never dropped in silence; over TCP the same name is a queue.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"stomp.broker.heartbeat.send=300ms", "stomp.broker.heartbeat.receive=300ms" })
class UnforwardedDestinationTests {

	@LocalServerPort
	private int port;

	@Value("${local.stomp.port}")
	private int stompPort;

	@ParameterizedTest
	@EnumSource(Transport.class)
	void sendToABareNameGetsAnErrorNamingItAndTheForwardedPrefixes(Transport transport) throws Exception {
		try (BrowserStompClient browser = browser(transport, "alice")) {
			StompHeaders headers = new StompHeaders();
			headers.setDestination("testSTOMP");
			headers.setReceipt("sent");
			browser.session().send(headers, "from the seed's example");
			assertThat(browser.nextError(Duration.ofSeconds(5))).isNotNull()
				.startsWith("ERROR Destination 'testSTOMP' is not forwarded to the broker: SEND")
				.contains("/topic/")
				.contains("/queue/")
				.contains("/app")
				.contains("/user/");
			await().atMost(Duration.ofSeconds(5)).until(() -> !browser.isConnected());
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void subscribeToABareNameGetsAnErrorNamingIt(Transport transport) throws Exception {
		try (BrowserStompClient browser = browser(transport, "bob")) {
			StompHeaders headers = new StompHeaders();
			headers.setDestination("testSTOMP");
			headers.setReceipt("subscribed");
			browser.session().subscribe(headers, new IgnoringHandler());
			assertThat(browser.nextError(Duration.ofSeconds(5))).isNotNull()
				.startsWith("ERROR Destination 'testSTOMP' is not forwarded to the broker: SUBSCRIBE");
			await().atMost(Duration.ofSeconds(5)).until(() -> !browser.isConnected());
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void framesForForwardedAndApplicationDestinationsGetNoError(Transport transport) throws Exception {
		try (BrowserStompClient browser = browser(transport, "carol")) {
			browser.subscribe("/topic/echo");
			browser.sendWithReceipt(unique("/queue/fine."), "queued");
			browser.send("/app/echo", "hello");
			browser.subscribe("/user/queue/whoami");
			assertThat(browser.nextError(Duration.ofMillis(500))).isNull();
			assertThat(browser.isConnected()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void sameBareNameIsAQueueOverTcp(Transport transport) throws Exception {
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			telnet.send("SEND\ndestination:testSTOMP-" + transport + "\nreceipt:queued\n\nover tcp\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
		}
	}

	private BrowserStompClient browser(Transport transport, String user) throws Exception {
		return BrowserStompClient.connect(transport, this.port, user);
	}

	private static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().replace("-", "");
	}

	private static final class IgnoringHandler implements StompFrameHandler {

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return String.class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
		}

	}

}
