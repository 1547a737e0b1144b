package io.github.stompspringboot.demo.chat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import io.github.stompspringboot.demo.chat.support.ChatBrowser;
import io.github.stompspringboot.test.StompTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat page in a real chromium over each SockJS transport in turn, forced through
 * sockjs-client's {@code transports} option: a person behind a proxy that blocks
 * WebSocket still chats, in both directions, with a telnet client in the same room.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1", "logging.level.org.openqa.selenium=error" })
class SockJsTransportPageTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Environment environment;

	private static ChatBrowser browser;

	private static ChatBrowser browserWithoutWebSocket;

	@BeforeAll
	static void chromiumInstalled() {
		assumeTrue(ChatBrowser.available(),
				"chromium and chromedriver not installed: apt-get install chromium chromium-driver");
	}

	@AfterEach
	void leavePages() {
		if (browser != null) {
			browser.blank();
		}
		if (browserWithoutWebSocket != null) {
			browserWithoutWebSocket.blank();
		}
	}

	@AfterAll
	static void closeBrowsers() throws IOException {
		if (browser != null) {
			browser.close();
			browser = null;
		}
		if (browserWithoutWebSocket != null) {
			browserWithoutWebSocket.close();
			browserWithoutWebSocket = null;
		}
	}

	/**
	 * Every transport sockjs-client 1.5 can use in chromium against Spring's SockJS
	 * service. Not listed: xdr-streaming and xdr-polling (Internet Explorer's
	 * XDomainRequest only) and jsonp-polling (Spring's SockJS service has no JSONP since
	 * Spring Framework 4.1).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "websocket", "xhr-streaming", "xhr-polling", "eventsource", "htmlfile",
			"iframe-eventsource", "iframe-htmlfile", "iframe-xhr-polling" })
	void pageChatsWithTelnetOverEachSockJsTransport(String transport) throws IOException {
		if (browser == null) {
			browser = new ChatBrowser();
		}
		String room = "via-" + transport;
		ChatBrowser ada = browser.at(baseUrl()).joinOver(transport, "ada", room);
		assertThat(ada.transport()).isEqualTo(transport);
		chatsBothWaysWithTelnet(ada, room);
	}

	@Test
	void pageWhoseBrowserHasNoWebSocketStillChatsThroughAFallback() throws IOException {
		if (browserWithoutWebSocket == null) {
			browserWithoutWebSocket = new ChatBrowser().withoutWebSocket();
		}
		ChatBrowser ada = browserWithoutWebSocket.at(baseUrl()).join("ada", "no-websocket");
		assertThat(ada.script("return typeof WebSocket;")).isEqualTo("undefined");
		assertThat(ada.transport()).isNotBlank().isNotEqualTo("websocket");
		chatsBothWaysWithTelnet(ada, "no-websocket");
	}

	private void chatsBothWaysWithTelnet(ChatBrowser ada, String room) throws IOException {
		try (StompTestClient telnet = StompTestClient.tcp(stompPort()).connect()) {
			StompTestClient.Subscription chat = telnet.subscribe("/topic/chat." + room);
			String fromPage = "from the page over " + ada.transport();
			ada.say(fromPage);
			ada.awaitMessage(fromPage);
			assertThat(chat.awaitMessageContaining(fromPage, Duration.ofSeconds(10)).body())
				.contains("\"nickname\":\"ada\"");

			String fromTelnet = "from telnet to " + room;
			telnet.send("/topic/chat." + room, fromTelnet, Map.of("nickname", "telnet"));
			assertThat(ada.senderOf(ada.awaitMessage(fromTelnet))).isEqualTo("telnet");
		}
	}

	private String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	private int stompPort() {
		return this.environment.getRequiredProperty("local.stomp.port", Integer.class);
	}

}
