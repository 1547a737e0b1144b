package io.github.stompspringboot.demo.chat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.autoconfigure.StompWebSocketAutoConfiguration;
import io.github.stompspringboot.demo.chat.support.ChatBrowser;
import io.github.stompspringboot.demo.chat.support.RabbitMqCluster;
import io.github.stompspringboot.transport.relay.FailoverTcpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chat past one machine: two instances of the demo, unchanged, in relay mode on a
 * two-node RabbitMQ cluster, instance A relaying to node A and instance B to node B, and
 * a real chromium on each. People on different instances share rooms, whisper to each
 * other and see each other online; when node A stops, instance A's relay moves to node B
 * and its page is back in the conversation. The cluster starts once for the class:
 * RabbitMQ nodes take seconds to boot.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatClusterPageTests {

	private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(30);

	private static RabbitMqCluster cluster;

	private static ConfigurableApplicationContext instanceA;

	private static ConfigurableApplicationContext instanceB;

	private static ChatBrowser pageOnA;

	private static ChatBrowser pageOnB;

	@BeforeAll
	static void startClusterAndInstances() throws Exception {
		assumeTrue(RabbitMqCluster.available(),
				"rabbitmq-server not installed: apt-get install rabbitmq-server (the cluster tests need it)");
		assumeTrue(ChatBrowser.available(),
				"chromium and chromedriver not installed: apt-get install chromium chromium-driver");
		long start = System.nanoTime();
		cluster = RabbitMqCluster.start();
		long clusterUp = System.nanoTime();
		instanceA = instance(cluster.stompPort(0), cluster.stompPort(1));
		instanceB = instance(cluster.stompPort(1), cluster.stompPort(0));
		for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[] { instanceA, instanceB }) {
			StompBrokerRelayMessageHandler relay = instance.getBean(StompBrokerRelayMessageHandler.class);
			await().atMost(Duration.ofSeconds(20)).until(relay::isBrokerAvailable);
		}
		pageOnA = new ChatBrowser().at(baseUrl(instanceA));
		pageOnB = new ChatBrowser().at(baseUrl(instanceB));
		System.out.printf("RabbitMQ cluster of two nodes up in %d ms; both instances and browsers ready after %d ms%n",
				Duration.ofNanos(clusterUp - start).toMillis(), Duration.ofNanos(System.nanoTime() - start).toMillis());
	}

	/**
	 * The demo as deployed next to one node: that node first, the other one to fail over
	 * to.
	 */
	private static ConfigurableApplicationContext instance(int ownNode, int otherNode) {
		// command-line arguments, as an operator would start it: they win over
		// application.yml
		return new SpringApplicationBuilder(DemoChatApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--stomp.broker.mode=relay",
				"--stomp.broker.relay.addresses=127.0.0.1:" + ownNode + ",127.0.0.1:" + otherNode,
				"--stomp.broker.relay.virtual-host=/", "--stomp.broker.relay.user-registry-broadcast-interval=1s");
	}

	private static String baseUrl(ConfigurableApplicationContext instance) {
		return "http://127.0.0.1:" + instance.getEnvironment().getRequiredProperty("local.server.port");
	}

	@AfterEach
	void leavePages() {
		if (pageOnA != null) {
			pageOnA.blank();
			pageOnB.blank();
		}
	}

	@AfterAll
	static void stopEverything() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { pageOnA, pageOnB, instanceA, instanceB, cluster }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (IOException | RuntimeException ex) {
				// the others still stop
			}
		}
	}

	@Test
	@Order(1)
	void pagesOnTwoInstancesInOneRoomSeeEachOtherAndEachOthersMessages() {
		pageOnA.join("ada", "cluster");
		pageOnB.join("bob", "cluster");
		pageOnA.awaitOnline("ada", "bob");
		pageOnB.awaitOnline("ada", "bob");

		pageOnA.say("Hello from instance A");
		assertThat(pageOnB.senderOf(pageOnB.awaitMessage("Hello from instance A"))).isEqualTo("ada");
		pageOnB.say("Hello from instance B");
		assertThat(pageOnA.senderOf(pageOnA.awaitMessage("Hello from instance B"))).isEqualTo("bob");
	}

	@Test
	@Order(2)
	void privateMessageFromAUserOnAReachesTheUserOnB() {
		pageOnA.join("carol", "whispers");
		pageOnB.join("dave", "whispers");
		pageOnA.awaitOnline("carol", "dave");
		// The page may have learnt of dave from instance B's broadcast; instance A
		// refuses to whisper to someone it does not know, until B's next user registry
		// broadcast (1 s here).
		SimpUserRegistry usersOfA = instanceA.getBean(SimpUserRegistry.class);
		await().atMost(Duration.ofSeconds(10)).until(() -> usersOfA.getUser("dave") != null);

		pageOnA.openPrivateConversationWith("dave");
		pageOnA.say("psst, dave, it is carol on the other instance");
		pageOnA.awaitMessage("psst, dave, it is carol on the other instance");
		pageOnB.openUnread("dm:carol");
		assertThat(pageOnB.senderOf(pageOnB.awaitMessage("psst, dave, it is carol on the other instance")))
			.isEqualTo("carol");
		pageOnB.say("got it, carol");
		pageOnA.awaitMessage("got it, carol");
	}

	@Test
	@Order(3)
	void whenInstanceAsNodeStopsItsRelayMovesToTheOtherAndAReconnectedPageTalksToBAgain() throws Exception {
		pageOnA.join("erin", "failover");
		pageOnB.join("frank", "failover");
		pageOnA.awaitOnline("erin", "frank");
		pageOnA.say("before the failover");
		pageOnB.awaitMessage("before the failover");
		FailoverTcpClient relayOfA = instanceA.getBean(StompWebSocketAutoConfiguration.RELAY_TCP_CLIENT_BEAN_NAME,
				FailoverTcpClient.class);
		assertThat(relayOfA.getCurrentAddress().getPort()).isEqualTo(cluster.stompPort(0));

		long stopping = System.nanoTime();
		// in the background: the page may be back before rabbitmq-server has finished
		// exiting
		CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
			try {
				cluster.stopNode(0);
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});
		pageOnA.until((driver) -> !"connected".equals(pageOnA.status()));
		long dropped = System.nanoTime();
		pageOnA.awaitConnected();
		pageOnA.say("after the failover");
		pageOnB.awaitMessage("after the failover");
		long back = System.nanoTime();
		Duration failover = Duration.ofNanos(back - stopping);
		pageOnB.say("welcome back, erin");
		pageOnA.awaitMessage("welcome back, erin");
		stop.get(60, TimeUnit.SECONDS);

		assertThat(relayOfA.getCurrentAddress().getPort()).isEqualTo(cluster.stompPort(1));
		System.out.printf(
				"Failover: the page on instance A talks to B again %d ms after 'rabbitmqctl stop' of node A "
						+ "was started, %d ms after the page saw its connection drop%n",
				failover.toMillis(), Duration.ofNanos(back - dropped).toMillis());
		assertThat(failover).isLessThan(FAILOVER_LIMIT);
	}

}
