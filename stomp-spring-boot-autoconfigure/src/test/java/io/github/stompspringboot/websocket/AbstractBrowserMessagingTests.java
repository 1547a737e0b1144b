package io.github.stompspringboot.websocket;

import java.time.Duration;
import java.util.UUID;

import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Received;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What an application with {@code @MessageMapping} controllers and a
 * {@code SimpMessagingTemplate} relies on, proved with real browser-like clients over
 * SockJS and plain WebSocket. Runs against the embedded broker and, in relay mode,
 * RabbitMQ: the same application code behaves the same on both.
 */
abstract class AbstractBrowserMessagingTests {

	@LocalServerPort
	protected int port;

	@Autowired
	protected SimpMessagingTemplate template;

	@Autowired
	private StompBrokerRelayMessageHandler relay;

	/**
	 * A page that connects before the relay reaches its broker gets an ERROR and
	 * reconnects; these tests connect once the relay has said the broker is there.
	 */
	@BeforeEach
	void awaitBroker() {
		await().atMost(Duration.ofSeconds(20)).until(this.relay::isBrokerAvailable);
	}

	protected static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().replace("-", "");
	}

	/**
	 * Why the broker under test does not deliver a NACKed message again (the STOMP spec
	 * leaves it to the server), or {@code null} when it does; the subclass then proves
	 * what it does instead.
	 */
	protected String nackDiffers() {
		return null;
	}

	protected BrowserStompClient browser(Transport transport, String user) throws Exception {
		return BrowserStompClient.connect(transport, this.port, user);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void messageMappingReplyReachesTopicSubscriber(Transport transport) throws Exception {
		try (BrowserStompClient alice = browser(transport, "alice")) {
			Subscription echoes = alice.subscribe("/topic/echo");
			alice.send("/app/echo", "hello");
			assertThat(echoes.next().body()).isEqualTo("echo:hello");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void templateSendReachesBrowserSubscriber(Transport transport) throws Exception {
		String topic = unique("/topic/news.");
		try (BrowserStompClient alice = browser(transport, "alice")) {
			Subscription news = alice.subscribe(topic);
			this.template.convertAndSend(topic, "extra extra");
			Received received = news.next();
			assertThat(received.body()).isEqualTo("extra extra");
			assertThat(received.headers().getDestination()).isEqualTo(topic);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void browserSendReachesOtherBrowser(Transport transport) throws Exception {
		String topic = unique("/topic/chat.");
		try (BrowserStompClient alice = browser(transport, "alice");
				BrowserStompClient bob = browser(transport, "bob")) {
			Subscription chat = bob.subscribe(topic);
			alice.sendWithReceipt(topic, "hi bob");
			assertThat(chat.next().body()).isEqualTo("hi bob");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void convertAndSendToUserReachesOnlyThatUser(Transport transport) throws Exception {
		try (BrowserStompClient alice = browser(transport, "alice");
				BrowserStompClient bob = browser(transport, "bob")) {
			Subscription alicePrivate = alice.subscribe("/user/queue/private");
			Subscription bobPrivate = bob.subscribe("/user/queue/private");
			this.template.convertAndSendToUser("alice", "/queue/private", "for alice");
			this.template.convertAndSendToUser("bob", "/queue/private", "for bob");
			assertThat(alicePrivate.next().body()).isEqualTo("for alice");
			// Bob's first message is his own: alice's never reached him.
			assertThat(bobPrivate.next().body()).isEqualTo("for bob");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void convertAndSendToUserReachesEveryTabOfThatUser(Transport transport) throws Exception {
		String user = unique("tabs");
		try (BrowserStompClient tab1 = browser(transport, user); BrowserStompClient tab2 = browser(transport, user)) {
			Subscription first = tab1.subscribe("/user/queue/private");
			Subscription second = tab2.subscribe("/user/queue/private");
			this.template.convertAndSendToUser(user, "/queue/private", "to all my tabs");
			assertThat(first.next().body()).isEqualTo("to all my tabs");
			assertThat(second.next().body()).isEqualTo("to all my tabs");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void sendToUserReplyReachesTheAskingUserWithItsPrincipal(Transport transport) throws Exception {
		String carolsName = unique("carol");
		try (BrowserStompClient carol = browser(transport, carolsName)) {
			Subscription replies = carol.subscribe("/user/queue/whoami");
			carol.send("/app/whoami", "");
			assertThat(replies.next().body()).isEqualTo(carolsName);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void queueHandsEachMessageToOneBrowser(Transport transport) throws Exception {
		String queue = unique("/queue/work.");
		try (BrowserStompClient one = browser(transport, "one"); BrowserStompClient two = browser(transport, "two")) {
			Subscription first = one.subscribe(queue);
			Subscription second = two.subscribe(queue);
			for (int i = 0; i < 4; i++) {
				this.template.convertAndSend(queue, "job" + i);
			}
			// Four jobs, two consumers: each job once, never both.
			java.util.List<String> seen = new java.util.ArrayList<>();
			long deadline = System.nanoTime() + BrowserStompClient.TIMEOUT.toNanos();
			while (seen.size() < 4 && System.nanoTime() < deadline) {
				Received a = pollQuick(first);
				Received b = pollQuick(second);
				if (a != null) {
					seen.add(a.body());
				}
				if (b != null) {
					seen.add(b.body());
				}
			}
			assertThat(seen).containsExactlyInAnyOrder("job0", "job1", "job2", "job3");
		}
	}

	private static Received pollQuick(Subscription subscription) throws InterruptedException {
		return subscription.poll(java.time.Duration.ofMillis(50));
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void unackedMessageGoesToNextConsumerWhenBrowserLeaves(Transport transport) throws Exception {
		String queue = unique("/queue/orders.");
		this.template.convertAndSend(queue, "order-1");
		BrowserStompClient first = browser(transport, "first");
		Subscription firstOrders = first.subscribe(queue, "client-individual");
		assertThat(firstOrders.next().body()).isEqualTo("order-1");
		first.close(); // leaves without ACK
		try (BrowserStompClient second = browser(transport, "second")) {
			Subscription secondOrders = second.subscribe(queue, "client-individual");
			Received redelivered = secondOrders.next();
			assertThat(redelivered.body()).isEqualTo("order-1");
			secondOrders.ack(redelivered);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void nackedMessageIsDeliveredAgainMarkedRedelivered(Transport transport) throws Exception {
		String nack = nackDiffers();
		assumeTrue(nack == null, nack);
		String queue = unique("/queue/retries.");
		try (BrowserStompClient worker = browser(transport, "worker")) {
			Subscription jobs = worker.subscribe(queue, "client-individual");
			this.template.convertAndSend(queue, "flaky job");
			Received first = jobs.next();
			assertThat(first.body()).isEqualTo("flaky job");
			jobs.nack(first);
			Received again = jobs.next();
			assertThat(again.body()).isEqualTo("flaky job");
			assertThat(again.headers().getFirst("redelivered")).isEqualTo("true");
			jobs.ack(again);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void ackedMessageIsNotDeliveredAgain(Transport transport) throws Exception {
		String queue = unique("/queue/invoices.");
		this.template.convertAndSend(queue, "invoice-1");
		try (BrowserStompClient first = browser(transport, "first")) {
			Subscription invoices = first.subscribe(queue, "client-individual");
			Received received = invoices.next();
			invoices.ack(received);
			first.sendWithReceipt(unique("/topic/flush."), "ack is handled before this receipt");
		}
		this.template.convertAndSend(queue, "invoice-2");
		try (BrowserStompClient second = browser(transport, "second")) {
			Subscription invoices = second.subscribe(queue, "client-individual");
			Received next = invoices.next();
			assertThat(next.body()).isEqualTo("invoice-2");
			invoices.ack(next);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void transactionFromABrowserDeliversOnCommitAllAtOnce(Transport transport) throws Exception {
		String queue = unique("/queue/tx.");
		try (BrowserStompClient alice = browser(transport, "alice");
				BrowserStompClient bob = browser(transport, "bob")) {
			Subscription orders = bob.subscribe(queue);
			alice.begin("tx1");
			for (int i = 1; i <= 3; i++) {
				alice.send(queue, "line-" + i, "tx1");
			}
			// The broker has handled the three SENDs once this receipt is back: nothing
			// went out.
			alice.sendWithReceipt(unique("/topic/flush."), "after the sends");
			assertThat(orders.poll(java.time.Duration.ofMillis(300))).isNull();
			alice.commit("tx1");
			assertThat(orders.next().body()).isEqualTo("line-1");
			assertThat(orders.next().body()).isEqualTo("line-2");
			assertThat(orders.next().body()).isEqualTo("line-3");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void abortedTransactionFromABrowserDeliversNothing(Transport transport) throws Exception {
		String queue = unique("/queue/tx.");
		try (BrowserStompClient alice = browser(transport, "alice");
				BrowserStompClient bob = browser(transport, "bob")) {
			Subscription orders = bob.subscribe(queue);
			alice.begin("tx2");
			alice.send(queue, "discarded-1", "tx2");
			alice.send(queue, "discarded-2", "tx2");
			alice.abort("tx2");
			// Same queue, same sender, after the ABORT: the first message bob sees, so
			// the aborted ones were never delivered.
			alice.sendWithReceipt(queue, "after the abort");
			assertThat(orders.next().body()).isEqualTo("after the abort");
			assertThat(orders.poll(java.time.Duration.ofMillis(300))).isNull();
		}
	}

}
