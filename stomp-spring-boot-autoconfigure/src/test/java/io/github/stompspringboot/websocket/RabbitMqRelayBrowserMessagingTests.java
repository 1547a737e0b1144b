package io.github.stompspringboot.websocket;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.support.RabbitMqStompBroker;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application, unchanged, with {@code stomp.broker.mode=relay} against a real
 * RabbitMQ: what the embedded broker does for browsers, a cluster-ready broker does too.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"stomp.broker.mode=relay", "stomp.broker.relay.host=127.0.0.1", "stomp.broker.relay.virtual-host=/" })
class RabbitMqRelayBrowserMessagingTests extends AbstractBrowserMessagingTests {

	private static RabbitMqStompBroker rabbit;

	@Autowired
	private ApplicationContext context;

	@BeforeAll
	static void startRabbitMq() throws Exception {
		rabbit = RabbitMqStompBroker.start();
	}

	@AfterAll
	static void stopRabbitMq() throws Exception {
		if (rabbit != null) {
			rabbit.close();
		}
	}

	@DynamicPropertySource
	static void relayToRabbitMq(DynamicPropertyRegistry registry) {
		registry.add("stomp.broker.relay.port", () -> rabbit.stompPort());
	}

	@Test
	void noEmbeddedBrokerRunsAndTheRelayReachesRabbitMq() {
		assertThat(this.context.getBeansOfType(StompBroker.class)).isEmpty();
		StompBrokerRelayMessageHandler relay = this.context.getBean(StompBrokerRelayMessageHandler.class);
		assertThat(relay.getTcpClient()).isInstanceOf(ReactorNettyTcpClient.class);
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(relay::isBrokerAvailable);
	}

}
