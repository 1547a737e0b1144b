package io.github.stompspringboot.websocket;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.github.stompspringboot.autoconfigure.StompWebSocketAutoConfiguration;
import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.transport.relay.FailoverTcpClient;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code stomp.broker.relay.addresses}: the relay goes to the first node that answers
 * and, when that node goes away, to the next one. Two stand-alone brokers of this project
 * stand in for two broker nodes (the RabbitMQ cluster test in the demo does the same with
 * a real cluster).
 */
class RelayFailoverTests {

	private EmbeddedBroker first;

	private EmbeddedBroker second;

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		if (this.first != null) {
			this.first.close();
		}
		if (this.second != null) {
			this.second.close();
		}
	}

	private ConfigurableApplicationContext relayTo(String addresses) {
		SpringApplication application = new SpringApplicationBuilder(BrowserTestApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "stomp.broker.mode=relay",
					"stomp.broker.relay.addresses=" + addresses, "stomp.broker.relay.system-heartbeat-send=0",
					"stomp.broker.relay.system-heartbeat-receive=0", "spring.main.banner-mode=off")
			.build();
		return application.run();
	}

	private static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static int port(ConfigurableApplicationContext app) {
		return app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static FailoverTcpClient client(ConfigurableApplicationContext app) {
		return app.getBean(StompWebSocketAutoConfiguration.RELAY_TCP_CLIENT_BEAN_NAME, FailoverTcpClient.class);
	}

	@Test
	void relayGoesToTheFirstNodeThatAnswers() throws Exception {
		this.second = EmbeddedBroker.start();
		int nobody = freePort();
		this.app = relayTo("127.0.0.1:" + nobody + ",127.0.0.1:" + this.second.port());
		StompBrokerRelayMessageHandler relay = this.app.getBean(StompBrokerRelayMessageHandler.class);
		await().atMost(Duration.ofSeconds(10)).until(relay::isBrokerAvailable);
		assertThat(client(this.app).getCurrentAddress().getPort()).isEqualTo(this.second.port());
		try (BrowserStompClient alice = BrowserStompClient.connect(Transport.WEBSOCKET, port(this.app), "alice")) {
			Subscription echoes = alice.subscribe("/topic/echo");
			alice.send("/app/echo", "via the second node");
			assertThat(echoes.next().body()).isEqualTo("echo:via the second node");
		}
		assertThat(this.second.broker().sessions()).as("the system session is on the second node").isNotEmpty();
	}

	@Test
	void whenItsNodeStopsTheRelayMovesToTheNextAndBrowsersReconnect() throws Exception {
		this.first = EmbeddedBroker.start();
		this.second = EmbeddedBroker.start();
		this.app = relayTo("127.0.0.1:" + this.first.port() + ",127.0.0.1:" + this.second.port());
		StompBrokerRelayMessageHandler relay = this.app.getBean(StompBrokerRelayMessageHandler.class);
		await().atMost(Duration.ofSeconds(10)).until(relay::isBrokerAvailable);
		assertThat(client(this.app).getCurrentAddress().getPort()).isEqualTo(this.first.port());
		BrowserStompClient alice = BrowserStompClient.connect(Transport.WEBSOCKET, port(this.app), "alice");
		alice.subscribe("/topic/news");

		long stopped = System.nanoTime();
		this.first.close();
		this.first = null;

		assertThat(alice.nextError(Duration.ofSeconds(10))).as("the browser is told").isNotNull();
		alice.close();
		InetSocketAddress secondNode = new InetSocketAddress("127.0.0.1", this.second.port());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> relay.isBrokerAvailable()
					&& client(this.app).getCurrentAddress().getPort() == secondNode.getPort());
		Duration systemSessionBack = Duration.ofNanos(System.nanoTime() - stopped);
		try (BrowserStompClient again = BrowserStompClient.connect(Transport.WEBSOCKET, port(this.app), "alice")) {
			Subscription news = again.subscribe("/topic/news");
			this.app.getBean(SimpMessagingTemplate.class).convertAndSend("/topic/news", "back on the second node");
			assertThat(news.next().body()).isEqualTo("back on the second node");
		}
		System.out.println("Relay failover: system session back on the second node " + systemSessionBack.toMillis()
				+ " ms after the first stopped");
		assertThat(this.second.broker().sessions()).isNotEmpty();
	}

}
