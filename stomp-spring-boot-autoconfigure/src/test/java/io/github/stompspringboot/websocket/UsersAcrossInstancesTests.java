package io.github.stompspringboot.websocket;

import java.time.Duration;

import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.simp.user.UserRegistryMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of one application in relay mode, sharing one external broker (a
 * stand-alone broker of this project here; RabbitMQ in the demo's cluster test): a user
 * is found whichever instance holds their session, through Spring's user registry
 * broadcast and unresolved user destination broadcast, which relay mode turns on.
 */
class UsersAcrossInstancesTests {

	private static EmbeddedBroker broker;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	@BeforeAll
	static void start() {
		broker = EmbeddedBroker.start();
		instanceA = instance();
		instanceB = instance();
		for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { instanceA, instanceB }) {
			StompBrokerRelayMessageHandler relay = instance.getBean(StompBrokerRelayMessageHandler.class);
			await().atMost(Duration.ofSeconds(10)).until(relay::isBrokerAvailable);
		}
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { instanceA, instanceB, broker }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// the others still stop
			}
		}
	}

	private static ConfigurableApplicationContext instance() {
		return new SpringApplicationBuilder(BrowserTestApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "stomp.broker.mode=relay",
					"stomp.broker.relay.addresses=127.0.0.1:" + broker.port(),
					"stomp.broker.relay.user-registry-broadcast-interval=500ms", "spring.main.banner-mode=off")
			.run();
	}

	private static BrowserStompClient browserOn(ConfigurableApplicationContext instance, String user) throws Exception {
		return BrowserStompClient.connect(Transport.WEBSOCKET,
				instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class), user);
	}

	@Test
	void convertAndSendToUserOnOneInstanceReachesTheUserOnTheOther() throws Exception {
		try (BrowserStompClient bob = browserOn(instanceB, "bob-b")) {
			Subscription inbox = bob.subscribe("/user/queue/private");
			// at once, before instance A can know bob: the unresolved-user-destination
			// broadcast finds him
			instanceA.getBean(SimpMessagingTemplate.class).convertAndSendToUser("bob-b", "/queue/private", "from A");
			assertThat(inbox.next().body()).isEqualTo("from A");
		}
	}

	@Test
	void eachInstanceKnowsTheUsersOfTheOtherWithinTheBroadcastInterval() throws Exception {
		try (BrowserStompClient carol = browserOn(instanceA, "carol-a");
				BrowserStompClient dave = browserOn(instanceB, "dave-b")) {
			carol.subscribe("/user/queue/private");
			SimpUserRegistry registryOfA = instanceA.getBean(SimpUserRegistry.class);
			SimpUserRegistry registryOfB = instanceB.getBean(SimpUserRegistry.class);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> registryOfA.getUser("dave-b") != null && registryOfB.getUser("carol-a") != null);
			assertThat(registryOfB.getUser("carol-a").getSessions()).hasSize(1);
			Subscription inbox = dave.subscribe("/user/queue/private");
			instanceA.getBean(SimpMessagingTemplate.class).convertAndSendToUser("dave-b", "/queue/private", "known");
			assertThat(inbox.next().body()).isEqualTo("known");
		}
	}

	@Test
	void registryBroadcastIntervalIsTheProperty() {
		assertThat(instanceA.getBean(UserRegistryMessageHandler.class).getRegistryExpirationPeriod()).isEqualTo(1000);
	}

}
