package io.github.stompspringboot.demo.chat;

import io.github.stompspringboot.broker.StompBroker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo, unchanged, started with {@code stomp.broker.mode=relay} as the README says:
 * the starter brings what the relay needs, so it starts with its STOMP endpoint and
 * controllers even before a broker answers (the relay keeps trying), and runs no embedded
 * broker.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"stomp.broker.mode=relay", "stomp.broker.relay.host=127.0.0.1", "stomp.broker.relay.port=9" })
class DemoRelayModeStartupTests {

	@Autowired
	private ApplicationContext context;

	@Test
	void demoStartsInRelayModeWithOnlyPropertiesChanged() {
		assertThat(this.context.getBeansOfType(StompBroker.class)).isEmpty();
		assertThat(this.context.getBeansOfType(SimpMessagingTemplate.class)).hasSize(1);
		assertThat(this.context.getBeansOfType(ChatController.class)).hasSize(1);
		StompBrokerRelayMessageHandler relay = this.context.getBean(StompBrokerRelayMessageHandler.class);
		assertThat(relay.getTcpClient()).isInstanceOf(ReactorNettyTcpClient.class);
		assertThat(relay.getRelayPort()).isEqualTo(9);
	}

}
