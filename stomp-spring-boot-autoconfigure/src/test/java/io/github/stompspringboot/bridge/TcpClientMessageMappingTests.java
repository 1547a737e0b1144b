package io.github.stompspringboot.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import io.github.stompspringboot.bridge.app.TcpBridgeTestApplication;
import io.github.stompspringboot.broker.Destination;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.user.SimpSubscription;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TCP clients (raw sockets, as telnet types it) calling the application's controllers as
 * browsers do: argument resolution, Principal, replies, receipts after handling, session
 * events, the user registry, user destinations and the application's interceptors.
 */
@DirtiesContext
@SpringBootTest(classes = TcpBridgeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1" })
class TcpClientMessageMappingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Value("${local.stomp.port}")
	private int stompPort;

	@LocalServerPort
	private int webPort;

	@Autowired
	private SimpMessagingTemplate template;

	@Autowired
	private SimpUserRegistry userRegistry;

	@Autowired
	private StompBroker broker;

	@BeforeEach
	void openGate() {
		TcpBridgeTestApplication.slowGate.set(new CountDownLatch(0));
	}

	private RawStompClient login(String user) throws Exception {
		return RawStompClient.connect(this.stompPort, "1.2", "login:" + user + "\npasscode:secret\n");
	}

	@Test
	void messageMappingResolvesDestinationVariablePayloadHeaderAndTheTcpLoginAsPrincipal() throws Exception {
		try (RawStompClient alice = login("alice")) {
			alice.subscribe("0", "/topic/greetings", null);
			alice.send("SEND\ndestination:/app/greet/bob\nx-mood:happy\ncontent-type:text/plain\nreceipt:r1\n\nhi\0");
			List<Frame> frames = List.of(alice.receive(), alice.receive());
			assertThat(frames).extracting(Frame::command).containsExactlyInAnyOrder("MESSAGE", "RECEIPT");
			Frame message = frames.stream().filter((f) -> f.command().equals("MESSAGE")).findFirst().orElseThrow();
			assertThat(message.bodyText()).isEqualTo("bob:hi:happy:alice");
			assertThat(message.header("destination")).isEqualTo("/topic/greetings");
		}
	}

	@Test
	void jsonPayloadIsConvertedToTheMethodsParameter() throws Exception {
		try (RawStompClient client = login("olga")) {
			client.subscribe("0", "/topic/orders", null);
			client.send(
					"SEND\ndestination:/app/order\ncontent-type:application/json\n\n{\"item\":\"tea\",\"count\":2}\0");
			assertThat(client.expect("MESSAGE").bodyText()).isEqualTo("2 x tea");
		}
	}

	@Test
	void sendToUserReplyReachesTheTcpClientsUserQueueUnderTheNameItSubscribedTo() throws Exception {
		try (RawStompClient carol = login("carol")) {
			carol.subscribe("me", "/user/queue/whoami", null);
			carol.send("SEND\ndestination:/app/whoami\n\n\0");
			Frame reply = carol.expect("MESSAGE");
			assertThat(reply.bodyText()).isEqualTo("carol over tcp");
			assertThat(reply.header("destination")).isEqualTo("/user/queue/whoami");
			assertThat(reply.header("subscription")).isEqualTo("me");
			assertThat(reply.headers()).doesNotContainKey("simpOrigDestination");
		}
	}

	@Test
	void tcpSessionIsInTheUserRegistryAndGetsConvertAndSendToUserUntilItLeaves() throws Exception {
		try (RawStompClient dave = login("dave")) {
			dave.subscribe("p", "/user/queue/private", null);
			SimpUser user = this.userRegistry.getUser("dave");
			assertThat(user).isNotNull();
			assertThat(user.getSessions()).singleElement()
				.satisfies(
						(session) -> assertThat(session.getSubscriptions()).extracting(SimpSubscription::getDestination)
							.containsExactly("/user/queue/private"));
			this.template.convertAndSendToUser("dave", "/queue/private", "psst");
			Frame message = dave.expect("MESSAGE");
			assertThat(message.bodyText()).isEqualTo("psst");
			assertThat(message.header("destination")).isEqualTo("/user/queue/private");
			dave.send("DISCONNECT\nreceipt:bye\n\n\0");
			dave.awaitReceipt("bye");
		}
		await().atMost(WAIT).until(() -> this.userRegistry.getUser("dave") == null);
	}

	@Test
	void droppedTcpConnectionLeavesTheRegistryWithASessionDisconnectEvent() throws Exception {
		RawStompClient quinn = login("quinn");
		quinn.subscribe("p", "/user/queue/private", null);
		assertThat(this.userRegistry.getUser("quinn")).isNotNull();
		quinn.closeAbruptly();
		await().atMost(WAIT).until(() -> this.userRegistry.getUser("quinn") == null);
		assertThat(eventsOf("quinn")).last().asString().startsWith("SessionDisconnectEvent tcp-");
	}

	@Test
	void pageUserReachesTcpUserAndBackThroughUserDestinations() throws Exception {
		try (RawStompClient tcp = login("tina");
				BrowserStompClient page = BrowserStompClient.connect(Transport.WEBSOCKET, this.webPort, "paul")) {
			tcp.subscribe("p", "/user/queue/private", null);
			BrowserStompClient.Subscription pageInbox = page.subscribe("/user/queue/private");
			this.template.convertAndSendToUser("tina", "/queue/private", "to tina");
			this.template.convertAndSendToUser("paul", "/queue/private", "to paul");
			assertThat(tcp.expect("MESSAGE").bodyText()).isEqualTo("to tina");
			assertThat(pageInbox.next().body()).isEqualTo("to paul");
		}
	}

	@Test
	void receiptComesOnlyAfterTheHandlerReturned() throws Exception {
		CountDownLatch gate = new CountDownLatch(1);
		TcpBridgeTestApplication.slowGate.set(gate);
		try (RawStompClient client = login("sam")) {
			client.send("SEND\ndestination:/app/slow\nreceipt:slow-1\n\nfirst\0");
			client.send("SEND\ndestination:/app/slow\nreceipt:slow-2\n\nsecond\0");
			// the handler is held: no receipt may come meanwhile
			assertThat(client.readFor(Duration.ofMillis(500))).isEmpty();
			assertThat(TcpBridgeTestApplication.slowHandled).doesNotContain("first");
			gate.countDown();
			client.awaitReceipt("slow-1");
			assertThat(TcpBridgeTestApplication.slowHandled).contains("first");
			client.awaitReceipt("slow-2");
			// one session's frames reach the handler in the order sent
			List<String> handled = TcpBridgeTestApplication.slowHandled;
			assertThat(handled.indexOf("first")).isLessThan(handled.indexOf("second"));
		}
	}

	@Test
	void sessionEventsFireForTcpSessionsMarkedAsTcp() throws Exception {
		String sessionId;
		try (RawStompClient erin = login("erin")) {
			erin.subscribe("s1", "/topic/erin", null);
			erin.send("UNSUBSCRIBE\nid:s1\nreceipt:u\n\n\0");
			erin.awaitReceipt("u");
			erin.send("DISCONNECT\nreceipt:d\n\n\0");
			erin.awaitReceipt("d");
		}
		await().atMost(WAIT)
			.until(() -> eventsOf("erin").stream().anyMatch((e) -> e.startsWith("SessionDisconnectEvent")));
		List<String> events = eventsOf("erin");
		sessionId = events.get(0).split(" ")[1];
		assertThat(sessionId).startsWith("tcp-");
		assertThat(events).containsExactly("SessionConnectEvent " + sessionId + " null tcp erin",
				"SessionConnectedEvent " + sessionId + " null tcp erin",
				"SessionSubscribeEvent " + sessionId + " /topic/erin tcp erin",
				"SessionUnsubscribeEvent " + sessionId + " null tcp erin",
				"SessionDisconnectEvent " + sessionId + " null tcp erin");
	}

	@Test
	void subscribeMappingAnswersTheTcpSubscription() throws Exception {
		try (RawStompClient frank = login("frank")) {
			frank.send("SUBSCRIBE\nid:snap\ndestination:/app/snapshot\nreceipt:s\n\n\0");
			Frame reply = frank.expect("MESSAGE");
			assertThat(reply.bodyText()).isEqualTo("snapshot for frank");
			assertThat(reply.header("subscription")).isEqualTo("snap");
			assertThat(reply.header("destination")).isEqualTo("/app/snapshot");
			assertThat(reply.header("message-id")).isNotBlank();
			frank.awaitReceipt("s");
			frank.send("UNSUBSCRIBE\nid:snap\nreceipt:u\n\n\0");
			frank.awaitReceipt("u");
		}
	}

	@Test
	void handlerExceptionNobodyHandledEndsTheSessionWithAnErrorOthersCarryOn() throws Exception {
		try (RawStompClient broken = login("bea"); RawStompClient other = login("ben")) {
			broken.send("SEND\ndestination:/app/fail\nreceipt:f\n\n\0");
			Frame error = broken.expect("ERROR");
			assertThat(error.header("message")).contains("/app/fail");
			assertThat(error.header("receipt-id")).isEqualTo("f");
			assertThat(error.bodyText()).contains("IllegalStateException").doesNotContain("at io.github");
			assertThat(broken.awaitClosed(WAIT)).isTrue();
			other.sendWithReceipt("/app/whoami", "");
		}
	}

	@Test
	void exceptionHandledWithSendToUserReachesTheTcpClientAndItsSessionGoesOn() throws Exception {
		try (RawStompClient client = login("hank")) {
			client.subscribe("e", "/user/queue/errors", null);
			client.send("SEND\ndestination:/app/refuse\nreceipt:r\n\nnot today\0");
			List<Frame> frames = List.of(client.receive(), client.receive());
			assertThat(frames).extracting(Frame::command).containsExactlyInAnyOrder("MESSAGE", "RECEIPT");
			assertThat(frames).filteredOn((f) -> f.command().equals("MESSAGE"))
				.singleElement()
				.satisfies((f) -> assertThat(f.bodyText()).isEqualTo("{\"error\":\"not today\"}"));
			client.sendWithReceipt("/topic/still-here", "yes");
		}
	}

	@Test
	void sendToAnApplicationDestinationWithoutHandlerAndReceiptGetsAnError() throws Exception {
		try (RawStompClient client = login("ivy")) {
			client.send("SEND\ndestination:/app/nobody-home\nreceipt:n\n\n\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("No handler for /app/nobody-home");
			assertThat(error.header("receipt-id")).isEqualTo("n");
		}
	}

	@Test
	void sendToAnApplicationDestinationWithoutHandlerOrReceiptIsDroppedAndTheSessionGoesOn() throws Exception {
		try (RawStompClient client = login("jack")) {
			client.send("SEND\ndestination:/app/nobody-home\n\n\0");
			client.sendWithReceipt("/topic/after", "still connected");
		}
	}

	@Test
	void unconvertiblePayloadGetsAnErrorNamingTheDestination() throws Exception {
		try (RawStompClient client = login("kim")) {
			client.send("SEND\ndestination:/app/order\ncontent-type:application/json\nreceipt:o\n\nnot json\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("Cannot convert the body of SEND to /app/order");
			assertThat(error.header("receipt-id")).isEqualTo("o");
		}
	}

	@Test
	void applicationInterceptorSeesTcpFramesAndCanRefuseABrokerSend() throws Exception {
		try (RawStompClient client = login("leo")) {
			client.subscribe("t", "/topic/leo", null);
			client.sendWithReceipt("/topic/leo.ok", "fine");
			assertThat(TcpBridgeTestApplication.intercepted).contains("CONNECT null tcp", "SUBSCRIBE /topic/leo tcp",
					"SEND /topic/leo.ok tcp");
			client.send("SEND\ndestination:/topic/leo\nforbidden:true\nreceipt:x\n\nno\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("Refused by the application");
			assertThat(error.bodyText()).isEqualTo("Forbidden by the test interceptor");
			assertThat(error.header("receipt-id")).isEqualTo("x");
		}
	}

	@Test
	void applicationInterceptorThatDropsAnApplicationSendEndsWithAnError() throws Exception {
		try (RawStompClient client = login("lou")) {
			client.send("SEND\ndestination:/app/whoami\nforbidden:drop\nreceipt:x\n\n\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("Refused by the application");
			assertThat(error.header("receipt-id")).isEqualTo("x");
		}
	}

	@Test
	void anonymousTcpClientTakesThePrincipalAnInterceptorSetOnConnect() throws Exception {
		try (RawStompClient gina = RawStompClient.connect(this.stompPort, "1.2", "nickname:gina\n")) {
			gina.subscribe("me", "/user/queue/whoami", null);
			gina.send("SEND\ndestination:/app/whoami\n\n\0");
			assertThat(gina.expect("MESSAGE").bodyText()).isEqualTo("gina over tcp");
			assertThat(this.userRegistry.getUser("gina")).isNotNull();
		}
	}

	@Test
	void errorAnInterceptorSendsForARefusedConnectReachesTheTcpClient() throws Exception {
		try (RawStompClient client = new RawStompClient(this.stompPort)) {
			client.send("CONNECT\naccept-version:1.2\nhost:localhost\nnickname:refuse-me\n\n\0");
			Frame error = client.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("Pick another nickname");
			assertThat(client.awaitClosed(WAIT)).isTrue();
		}
	}

	@Test
	void applicationSendInATransactionIsRefused() throws Exception {
		try (RawStompClient client = login("max")) {
			client.send("BEGIN\ntransaction:t\n\n\0");
			client.send("SEND\ndestination:/app/whoami\ntransaction:t\n\n\0");
			assertThat(client.expect("ERROR").header("message"))
				.isEqualTo("Application destination /app/whoami is not transactional");
		}
	}

	@Test
	void userQueueOfATcpSessionGoesWithTheSession() throws Exception {
		String queue;
		try (RawStompClient nick = login("nick")) {
			nick.subscribe("p", "/user/queue/gone", null);
			queue = this.broker.destinations()
				.all()
				.stream()
				.map(Destination::name)
				.filter((name) -> name.startsWith("/queue/gone-user"))
				.findFirst()
				.orElseThrow();
		}
		await().atMost(WAIT).until(() -> this.broker.destinations().find(queue) == null);
	}

	private static List<String> eventsOf(String user) {
		Predicate<String> ofUser = (event) -> event.endsWith(" " + user);
		return TcpBridgeTestApplication.events.stream().filter(ofUser).toList();
	}

}
