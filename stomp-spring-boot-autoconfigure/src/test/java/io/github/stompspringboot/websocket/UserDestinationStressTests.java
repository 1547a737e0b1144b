package io.github.stompspringboot.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.SimpMessagingTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What applications do all day: a page subscribes to {@code /user/queue/...}, and as soon
 * as the subscription is confirmed the application, on a thread of its own (a REST call,
 * a scheduled job, a Kafka listener), sends that user a message. Once the RECEIPT of the
 * SUBSCRIBE has left, no such message may be lost or delivered twice, however fresh the
 * session.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"stomp.broker.heartbeat.send=300ms", "stomp.broker.heartbeat.receive=300ms" })
class UserDestinationStressTests {

	private static final int ROUNDS = 1_000;

	/**
	 * A bound on each whole run, far above what 1,000 rounds take on a loaded two-core
	 * machine.
	 */
	private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

	private static ExecutorService application;

	@LocalServerPort
	private int port;

	@Autowired
	private SimpMessagingTemplate template;

	@BeforeAll
	static void startApplicationThread() {
		application = Executors.newSingleThreadExecutor((task) -> new Thread(task, "application-sender"));
	}

	@AfterAll
	static void stopApplicationThread() {
		application.shutdownNow();
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void messageSentRightAfterTheSubscriptionReceiptIsNeverLost(Transport transport) throws Exception {
		long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
		int round = 0;
		for (; round < ROUNDS && System.nanoTime() < deadline; round++) {
			String user = "fresh-" + transport + "-" + round;
			try (BrowserStompClient tab = BrowserStompClient.connect(transport, this.port, user)) {
				BrowserStompClient.Subscription inbox = tab.subscribeAndThen("/user/queue/inbox",
						() -> sendOnApplicationThread(user, "round " + user));
				assertThat(inbox.next().body()).as("round %d", round).isEqualTo("round " + user);
				assertThat(inbox.poll(Duration.ZERO)).as("a second copy in round %d", round).isNull();
			}
		}
		assertThat(round).as("rounds run within %s", RUN_LIMIT).isEqualTo(ROUNDS);
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void messageSentRightAfterBothTabsSubscribedReachesEachTabOnce(Transport transport) throws Exception {
		long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
		int round = 0;
		for (; round < ROUNDS && System.nanoTime() < deadline; round++) {
			String user = "two-tabs-" + transport + "-" + round;
			try (BrowserStompClient first = BrowserStompClient.connect(transport, this.port, user);
					BrowserStompClient second = BrowserStompClient.connect(transport, this.port, user)) {
				BrowserStompClient.Subscription firstInbox = first.subscribe("/user/queue/inbox");
				BrowserStompClient.Subscription secondInbox = second.subscribeAndThen("/user/queue/inbox",
						() -> sendOnApplicationThread(user, "to both tabs " + round(user)));
				List<BrowserStompClient.Subscription> inboxes = new ArrayList<>(List.of(firstInbox, secondInbox));
				for (int tab = 0; tab < inboxes.size(); tab++) {
					BrowserStompClient.Received received = inboxes.get(tab).poll(BrowserStompClient.TIMEOUT);
					assertThat(received).as("tab %d in round %d", tab + 1, round).isNotNull();
					assertThat(received.body()).isEqualTo("to both tabs " + round(user));
				}
				// Each tab's session has its own queue: a duplicate would be waiting by
				// now on one of them only if the broker delivered twice, which the flush
				// below makes visible.
				first.sendWithReceipt("/topic/flush", "");
				second.sendWithReceipt("/topic/flush", "");
				for (BrowserStompClient.Subscription inbox : inboxes) {
					assertThat(inbox.poll(Duration.ZERO)).as("a second copy in round %d", round).isNull();
				}
			}
		}
		assertThat(round).as("rounds run within %s", RUN_LIMIT).isEqualTo(ROUNDS);
	}

	private static String round(String user) {
		return user.substring(user.lastIndexOf('-') + 1);
	}

	private void sendOnApplicationThread(String user, String text) {
		CompletableFuture.runAsync(() -> this.template.convertAndSendToUser(user, "/queue/inbox", text), application)
			.orTimeout(10, TimeUnit.SECONDS);
	}

}
