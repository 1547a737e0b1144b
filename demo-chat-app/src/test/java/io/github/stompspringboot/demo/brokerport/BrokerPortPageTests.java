package io.github.stompspringboot.demo.brokerport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.stompspringboot.demo.chat.support.ChatBrowser;
import io.github.stompspringboot.test.StompFrame;
import io.github.stompspringboot.test.StompTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stomp.js documentation's example verbatim
 * ({@code Stomp.client("ws://localhost:…/stomp")}) in a real chromium, straight to the
 * broker's own port, in an application with no servlet container at all
 * ({@code spring.main.web-application-type=none}). The page comes from another origin (a
 * plain HTTP server of the test's), which stomp.websocket.allowed-origin-patterns admits.
 */
class BrokerPortPageTests {

	private static ConfigurableApplicationContext broker;

	private static HttpServer pages;

	private static ChatBrowser browser;

	@BeforeAll
	static void start() throws IOException {
		assumeTrue(ChatBrowser.available(),
				"chromium and chromedriver not installed: apt-get install chromium chromium-driver");
		// Arguments, not default properties: they must win over the demo's
		// application.yml.
		broker = new SpringApplicationBuilder(BrokerOnly.class).web(WebApplicationType.NONE)
			.run("--stomp.broker.tcp.host=127.0.0.1", "--stomp.broker.tcp.port=0",
					"--stomp.websocket.allowed-origin-patterns=http://127.0.0.1:*",
					"--logging.level.org.openqa.selenium=error");
		pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		pages.createContext("/", (exchange) -> serve(exchange, "/broker-port/index.html", "text/html"));
		pages.createContext("/stomp.js", (exchange) -> serve(exchange,
				"/META-INF/resources/webjars/stomp-websocket/2.3.4/stomp.js", "text/javascript"));
		pages.start();
		browser = new ChatBrowser();
	}

	@AfterAll
	static void stop() throws IOException {
		if (browser != null) {
			browser.close();
		}
		if (pages != null) {
			pages.stop(0);
		}
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void seedsStompJsExampleChatsWithTheBrokerPortInAnAppWithoutAServletContainer() throws IOException {
		assertThat(broker.getBeanNamesForType(
				org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer.class))
			.as("no servlet endpoint: the page talks to the broker port alone")
			.isEmpty();
		int stompPort = broker.getEnvironment().getRequiredProperty("local.stomp.port", Integer.class);
		browser.open("http://127.0.0.1:" + pages.getAddress().getPort() + "/?port=" + stompPort);
		Object state = browser.until((driver) -> {
			Object text = browser.script("return document.getElementById('state').textContent;");
			return "connecting".equals(text) ? null : text;
		});
		assertThat(state).isEqualTo("connected");
		assertThat(awaitReceived("Hello, STOMP")).containsEntry("priority", "9");

		try (StompTestClient telnet = StompTestClient.tcp(stompPort).connect()) {
			telnet.send("/queue/test", "from telnet on the same port");
			awaitReceived("from telnet on the same port");
			StompTestClient.Subscription fromPage = telnet.subscribe("/topic/from-page");
			browser.script("window.sendToBroker('/topic/from-page', 'hi telnet, from chromium');");
			StompFrame message = fromPage.awaitMessage(Duration.ofSeconds(10));
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.body()).isEqualTo("hi telnet, from chromium");
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> awaitReceived(String body) {
		return browser
			.until((driver) -> ((List<Map<String, Object>>) browser.script("return window.received;")).stream()
				.filter((message) -> body.equals(message.get("body")))
				.findFirst()
				.orElse(null));
	}

	private static void serve(HttpExchange exchange, String resource, String contentType) throws IOException {
		try (exchange; InputStream in = BrokerPortPageTests.class.getResourceAsStream(resource)) {
			if (in == null || !("/".equals(exchange.getRequestURI().getPath()) || resource.endsWith(".js"))) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			byte[] bytes = in.readAllBytes();
			exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
			exchange.sendResponseHeaders(200, bytes.length);
			exchange.getResponseBody().write(bytes);
		}
	}

	/**
	 * An application with the starter and nothing else: no controllers, no servlet
	 * container. In a package of its own, so the demo's component scan and its tests'
	 * search for a configuration never meet it.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BrokerOnly {

	}

}
