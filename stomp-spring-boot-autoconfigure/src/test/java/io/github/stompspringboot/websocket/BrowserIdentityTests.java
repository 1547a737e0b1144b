package io.github.stompspringboot.websocket;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.stompspringboot.autoconfigure.StompAccessDeniedEvent;
import io.github.stompspringboot.autoconfigure.StompLoginRefusedEvent;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With broker users configured, a browser is who it proves to be, by the same rules as a
 * TCP client: its CONNECT's login and passcode, checked by the broker, or nothing. The
 * test application's channel interceptor makes a Principal from an unchecked {@code user}
 * header, as the chat demo does from a nickname: such a Principal never carries a
 * configured user's rights.
 */
@SpringBootTest(classes = { BrowserTestApplication.class, BrowserIdentityTests.SecurityEvents.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"stomp.broker.limits.max-header-length=1KB", "stomp.broker.security.users[0].login=mtchang",
				"stomp.broker.security.users[0].password={noop}s3cret", "stomp.broker.security.users[0].groups=writers",
				"stomp.broker.security.anonymous.groups=guests", "stomp.broker.security.login-failure.delay=0s",
				"stomp.broker.security.login-failure.max-delay=0s", "stomp.broker.security.rules[0].actions=connect",
				"stomp.broker.security.rules[0].groups=*", "stomp.broker.security.rules[1].actions=receive create",
				"stomp.broker.security.rules[1].destinations=/topic/news.**", "stomp.broker.security.rules[1].groups=*",
				"stomp.broker.security.rules[2].actions=send create",
				"stomp.broker.security.rules[2].destinations=/topic/chat.**",
				"stomp.broker.security.rules[2].groups=writers" })
class BrowserIdentityTests {

	@LocalServerPort
	private int port;

	@Value("${local.stomp.port}")
	private int stompPort;

	@Autowired
	private StompBroker broker;

	@Autowired
	private SecurityEvents events;

	@BeforeEach
	void forgetEvents() {
		this.events.refusedLogins.clear();
		this.events.deniedFrames.clear();
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void nicknameOfAConfiguredUserWithAWrongPasscodeIsRefusedAsOverTcp(Transport transport) throws Exception {
		// The reproduction: a nickname interceptor made the Principal "mtchang", and the
		// broker used to trust it whatever the passcode said.
		String overWebSocket = BrowserStompClient.connectRefused(transport, this.port, new WebSocketHttpHeaders(),
				connectHeaders("mtchang", "mtchang", "wrong"));
		String overTcp;
		try (RawStompClient telnet = new RawStompClient(this.stompPort)) {
			telnet.send("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:mtchang\npasscode:wrong\n\n\0");
			overTcp = telnet.expect("ERROR").header("message");
		}
		assertThat(overWebSocket).isEqualTo(overTcp).isEqualTo("access refused");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.events.refusedLogins.size() == 2);
		assertThat(this.events.refusedLogins).allSatisfy((event) -> {
			assertThat(event.getLogin()).isEqualTo("mtchang");
			assertThat(event.getRemoteAddress()).contains("127.0.0.1");
			assertThat(event.getReason()).isEqualTo("unknown login or wrong passcode");
		});
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void unknownLoginIsRefusedWithTheSameAnswer(Transport transport) throws Exception {
		assertThat(BrowserStompClient.connectRefused(transport, this.port, new WebSocketHttpHeaders(),
				connectHeaders("nobody", "nobody", "s3cret")))
			.isEqualTo("access refused");
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void nicknameOfAConfiguredUserWithoutPasscodeIsAnonymousWithoutThatUsersRights(Transport transport)
			throws Exception {
		try (BrowserStompClient impostor = BrowserStompClient.connect(transport, this.port, new WebSocketHttpHeaders(),
				connectHeaders("mtchang", null, null))) {
			assertThat(impostor.sendRefused("/topic/chat.general", "I am mtchang"))
				.isEqualTo("Access denied to send to /topic/chat.general");
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.events.deniedFrames.isEmpty());
		StompAccessDeniedEvent denied = this.events.deniedFrames.get(0);
		assertThat(denied.getUser()).isNull();
		assertThat(denied.getAction()).isEqualTo("send to");
		assertThat(denied.getDestination()).isEqualTo("/topic/chat.general");
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void rightPasscodeGivesExactlyThatUsersRights(Transport transport) throws Exception {
		try (BrowserStompClient mtchang = BrowserStompClient.connect(transport, this.port, new WebSocketHttpHeaders(),
				connectHeaders("mtchang", "mtchang", "s3cret"))) {
			StompSession session = await().atMost(Duration.ofSeconds(5))
				.until(() -> sessionOf("mtchang"), (found) -> found != null);
			assertThat(session.remoteAddress()).contains("127.0.0.1");
			mtchang.sendWithReceipt("/topic/chat.general", "hello, it is me");
			mtchang.subscribe("/topic/news.today");
			// Writers may send to the chat, and nothing else besides what everyone may.
			assertThat(mtchang.subscribeRefused("/topic/secret"))
				.isEqualTo("Access denied to receive from /topic/secret");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void emptyLoginIsAnonymous(Transport transport) throws Exception {
		try (BrowserStompClient guest = BrowserStompClient.connect(transport, this.port, new WebSocketHttpHeaders(),
				connectHeaders(null, "", ""))) {
			guest.subscribe("/topic/news.today");
			assertThat(guest.sendRefused("/topic/chat.general", "hi"))
				.isEqualTo("Access denied to send to /topic/chat.general");
		}
	}

	@Test
	void loginLongerThanTheHeaderLimitIsRefusedBeforeAnyCheck() throws Exception {
		String tooLong = "m".repeat(2 * 1024);
		assertThat(BrowserStompClient.connectRefused(Transport.WEBSOCKET, this.port, new WebSocketHttpHeaders(),
				connectHeaders(null, tooLong, "s3cret")))
			.isEqualTo("Header line too long");
		try (RawStompClient bystander = RawStompClient.connect(this.stompPort, "1.2",
				"login:mtchang\npasscode:s3cret\n")) {
			bystander.sendWithReceipt("/topic/chat.general", "still served");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void principalNamedLikeAPathOrPatternProvesNothing(Transport transport) throws Exception {
		for (String name : List.of("../mtchang", "mtchang/queue", "*")) {
			try (BrowserStompClient odd = BrowserStompClient.connect(transport, this.port, new WebSocketHttpHeaders(),
					connectHeaders(name, null, null))) {
				assertThat(odd.sendRefused("/topic/chat.general", "hi")).as(name)
					.isEqualTo("Access denied to send to /topic/chat.general");
			}
		}
	}

	private StompSession sessionOf(String user) {
		return this.broker.sessions()
			.stream()
			.filter((session) -> !"application".equals(session.user())
					&& java.util.Objects.equals(user, session.user()))
			.findFirst()
			.orElse(null);
	}

	/**
	 * The CONNECT a page sends: the test application makes a Principal of {@code user}.
	 */
	private static StompHeaders connectHeaders(String user, String login, String passcode) {
		StompHeaders headers = new StompHeaders();
		if (user != null) {
			headers.add("user", user);
		}
		if (login != null) {
			headers.setLogin(login);
		}
		if (passcode != null) {
			headers.setPasscode(passcode);
		}
		return headers;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SecurityEvents {

		final List<StompLoginRefusedEvent> refusedLogins = new CopyOnWriteArrayList<>();

		final List<StompAccessDeniedEvent> deniedFrames = new CopyOnWriteArrayList<>();

		@EventListener
		void loginRefused(StompLoginRefusedEvent event) {
			this.refusedLogins.add(event);
		}

		@EventListener
		void accessDenied(StompAccessDeniedEvent event) {
			this.deniedFrames.add(event);
		}

	}

}
