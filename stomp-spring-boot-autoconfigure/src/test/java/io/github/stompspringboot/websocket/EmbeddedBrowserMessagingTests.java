package io.github.stompspringboot.websocket;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.transport.injvm.InJvmTcpClient;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Browsers on the embedded broker through Spring's relay and the in-JVM link, together
 * with STOMP clients on TCP.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"stomp.broker.heartbeat.send=300ms", "stomp.broker.heartbeat.receive=300ms" })
class EmbeddedBrowserMessagingTests extends AbstractBrowserMessagingTests {

	@Value("${local.stomp.port}")
	private int stompPort;

	@Autowired
	private StompBroker broker;

	@Autowired
	private ApplicationContext context;

	@Test
	void relayRunsOnTheInJvmClientAndSpringsSimpleBrokerDoesNot() {
		assertThat(this.context.getBeansOfType(SimpleBrokerMessageHandler.class)).isEmpty();
		assertThat(this.context.getBeansOfType(StompBrokerRelayMessageHandler.class).values()).singleElement()
			.satisfies((relay) -> {
				assertThat(relay.getTcpClient()).isInstanceOf(InJvmTcpClient.class);
				assertThat(relay.isBrokerAvailable()).isTrue();
			});
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void principalOfTheWebSocketSessionIsTheEngineSessionUser(Transport transport) throws Exception {
		try (BrowserStompClient dave = browser(transport, "dave")) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.broker.sessions().stream().map(StompSession::user).anyMatch("dave"::equals));
		}
	}

	@Test
	void anonymousBrowserIsAnonymousInTheEngineNotTheRelaysGuestLogin() throws Exception {
		// Sessions, not a count: other tests' sessions may still be ending meanwhile.
		java.util.Set<String> before = this.broker.sessions()
			.stream()
			.map(StompSession::id)
			.collect(java.util.stream.Collectors.toSet());
		try (BrowserStompClient anonymous = browser(Transport.WEBSOCKET, null)) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.broker.sessions().stream().anyMatch((session) -> !before.contains(session.id())));
			assertThat(this.broker.sessions()).extracting(StompSession::user).doesNotContain("guest");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void templateSendReachesTcpSubscriber(Transport transport) throws Exception {
		String topic = unique("/topic/tcp.");
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			telnet.send("SUBSCRIBE\nid:0\ndestination:" + topic + "\nreceipt:sub\n\n\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			this.template.convertAndSend(topic, "from the app");
			Frame message = telnet.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.bodyText()).isEqualTo("from the app");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void tcpSendReachesBrowserSubscriber(Transport transport) throws Exception {
		String topic = unique("/topic/tcp.");
		try (BrowserStompClient erin = browser(transport, "erin");
				RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			Subscription updates = erin.subscribe(topic);
			telnet.send("SEND\ndestination:" + topic + "\ncontent-type:text/plain\n\nfrom telnet\0");
			assertThat(updates.next().body()).isEqualTo("from telnet");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void browserMessageMappingReplyReachesTcpSubscriber(Transport transport) throws Exception {
		try (BrowserStompClient frank = browser(transport, "frank");
				RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			telnet.send("SUBSCRIBE\nid:0\ndestination:/topic/echo\nreceipt:sub\n\n\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			frank.send("/app/echo", "to everyone");
			assertThat(telnet.receive().bodyText()).isEqualTo("echo:to everyone");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void browserAndTcpClientShareOneQueue(Transport transport) throws Exception {
		String queue = unique("/queue/shared.");
		try (BrowserStompClient grace = browser(transport, "grace");
				RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			telnet.send("SEND\ndestination:" + queue + "\nreceipt:r\n\nwaiting\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			Subscription work = grace.subscribe(queue, "client");
			BrowserStompClient.Received received = work.next();
			assertThat(received.body()).isEqualTo("waiting");
			work.ack(received);
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void browserHeartbeatsKeepItsSessionAliveAndBrokerBeatsReachIt(Transport transport) throws Exception {
		// Both sides beat every second; the client drops the session if the broker's
		// beats stop, the broker if the client's do (after 1.5 intervals of silence, the
		// default grace). Quiet for four intervals, both must hold. A shorter interval
		// would test the machine's scheduling more than the beats: a browser's beat
		// crosses the client's timer, the WebSocket, Spring's inbound executor and the
		// relay before it arrives.
		try (BrowserStompClient heidi = BrowserStompClient.connect(transport, this.port, "heidi",
				new long[] { 1000, 1000 })) {
			await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(heidi::isConnected);
			assertThat(heidi.nextError(Duration.ZERO)).isNull();
			Subscription echoes = heidi.subscribe("/topic/echo");
			heidi.send("/app/echo", "still here");
			assertThat(echoes.next().body()).isEqualTo("echo:still here");
		}
	}

	@Test
	void applicationSendsStillWorkAfterManyBrokerHeartbeatIntervals() throws Exception {
		// The relay's "system" session carries every template send; the broker must not
		// take it for a silent client.
		String topic = unique("/topic/late.");
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			telnet.send("SUBSCRIBE\nid:0\ndestination:" + topic + "\nreceipt:sub\n\n\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			StompBrokerRelayMessageHandler relay = this.context.getBean(StompBrokerRelayMessageHandler.class);
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(relay::isBrokerAvailable);
			this.template.convertAndSend(topic, "late news");
			assertThat(telnet.receive().bodyText()).isEqualTo("late news");
		}
	}

	@Test
	void pageFromAnotherOriginIsRefusedByDefault() {
		org.springframework.web.socket.WebSocketHttpHeaders headers = new org.springframework.web.socket.WebSocketHttpHeaders();
		headers.setOrigin("https://elsewhere.example");
		CompletableFuture<WebSocketSession> handshake = new StandardWebSocketClient().execute(
				new TextWebSocketHandler(), headers, java.net.URI.create("ws://127.0.0.1:" + this.port + "/stomp"));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> handshake.get(5, TimeUnit.SECONDS));
	}

	@Test
	void browserThatPromisedHeartbeatsAndWentSilentIsDisconnectedWithError() throws Exception {
		StompBrokerRelayMessageHandler relay = this.context.getBean(StompBrokerRelayMessageHandler.class);
		int relaySessionsBefore = relay.getConnectionCount();
		BlockingQueue<String> frames = new LinkedBlockingQueue<>();
		CompletableFuture<Void> closed = new CompletableFuture<>();
		WebSocketSession session = new StandardWebSocketClient().execute(new TextWebSocketHandler() {
			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) {
				frames.add(message.getPayload());
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session,
					org.springframework.web.socket.CloseStatus status) {
				closed.complete(null);
			}
		}, "ws://127.0.0.1:" + this.port + "/stomp").get(5, TimeUnit.SECONDS);
		try {
			session.sendMessage(new TextMessage("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:300,0\n\n\0"));
			assertThat(frames.poll(5, TimeUnit.SECONDS)).startsWith("CONNECTED");
			String error = null;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (error == null && System.nanoTime() < deadline) {
				String frame = frames.poll(100, TimeUnit.MILLISECONDS);
				if (frame != null && frame.startsWith("ERROR")) {
					error = frame;
				}
			}
			assertThat(error).contains("message:Heart-beat timeout");
			closed.get(5, TimeUnit.SECONDS);
			// The relay's session for it ends with the WebSocket.
			await().atMost(Duration.ofSeconds(5)).until(() -> relay.getConnectionCount() <= relaySessionsBefore);
		}
		finally {
			session.close();
		}
	}

	@Test
	void userDestinationQueuesOfEndedBrowserSessionsAreDeletedWithTheirMessages() throws Exception {
		String name = unique("leaving");
		for (int i = 0; i < 200; i++) {
			String user = name + "-" + i;
			try (BrowserStompClient tab = browser(Transport.WEBSOCKET, user)) {
				Subscription replies = tab.subscribe("/user/queue/" + name, "client-individual");
				if (i % 20 == 0) {
					// Left un-acked: it goes back to the session's queue as the session
					// ends.
					this.template.convertAndSendToUser(user, "/queue/" + name, "never acked");
					assertThat(replies.next().body()).isEqualTo("never acked");
					// A destination the tab never subscribed to still gets a queue for
					// its session.
					this.template.convertAndSendToUser(user, "/queue/" + name + ".unread", "never read");
					await().atMost(Duration.ofSeconds(5))
						.until(() -> queuesNamed(name + ".unread").stream().anyMatch((queue) -> queue.depth() > 0));
				}
			}
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queuesNamed(name)).isEmpty());
	}

	@Test
	void userDestinationTopicsOfEndedBrowserSessionsAreRemoved() throws Exception {
		String name = unique("news");
		for (int i = 0; i < 50; i++) {
			String user = name + "-" + i;
			try (BrowserStompClient tab = browser(Transport.WEBSOCKET, user)) {
				Subscription news = tab.subscribe("/user/topic/" + name);
				this.template.convertAndSendToUser(user, "/topic/" + name, "hello " + i);
				assertThat(news.next().body()).isEqualTo("hello " + i);
			}
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.broker.destinations()
				.all()
				.stream()
				.filter((destination) -> destination.name().startsWith("/topic/" + name))).isEmpty());
	}

	@Test
	void messageReachingTheUserQueueOfAnEndedBrowserSessionIsNotKept() throws Exception {
		String user = unique("gone");
		String relaySessionId;
		try (BrowserStompClient tab = browser(Transport.WEBSOCKET, user)) {
			tab.subscribe("/user/queue/late");
			relaySessionId = await().atMost(Duration.ofSeconds(5))
				.until(() -> this.broker.sessions()
					.stream()
					.filter((session) -> user.equals(session.user()))
					.map(StompSession::relaySessionId)
					.findFirst(), java.util.Optional::isPresent)
				.get();
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.broker.sessions().stream().noneMatch((session) -> user.equals(session.user())));
		// What UserDestinationMessageHandler sends when the user registry has not caught
		// up yet.
		String late = "/queue/late-user" + relaySessionId;
		String flush = unique("/topic/flush.");
		try (RawStompClient telnet = RawStompClient.connect(this.stompPort, "1.2")) {
			telnet.send("SUBSCRIBE\nid:0\ndestination:" + flush + "\nreceipt:sub\n\n\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			this.template.convertAndSend(late, "too late");
			// Same relay session, same order: once this arrives the late message was
			// handled.
			this.template.convertAndSend(flush, "handled");
			assertThat(telnet.receive().bodyText()).isEqualTo("handled");
		}
		assertThat(this.broker.destinations().find(late)).isNull();
		assertThat(this.broker.destinations().find("/queue/late-user" + relaySessionId)).isNull();
	}

	@Test
	void queueWithMessagesWaitsForItsConsumersAfterBrowsersLeave() throws Exception {
		String queue = unique("/queue/work.");
		try (BrowserStompClient tab = browser(Transport.WEBSOCKET, "ivan")) {
			tab.subscribe(queue).unsubscribe();
		}
		// Unused, the queue is reclaimed; a message sent to its name makes it anew, and
		// waits.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.broker.destinations().find(queue) == null);
		this.template.convertAndSend(queue, "for later");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.broker.destinations().find(queue) != null
					&& this.broker.destinations().find(queue).depth() == 1);
		try (BrowserStompClient tab = browser(Transport.WEBSOCKET, "judy")) {
			assertThat(tab.subscribe(queue).next().body()).isEqualTo("for later");
		}
	}

	private java.util.List<io.github.stompspringboot.broker.Destination> queuesNamed(String name) {
		return this.broker.destinations()
			.all()
			.stream()
			.filter((destination) -> destination.name().startsWith("/queue/" + name))
			.toList();
	}

}
