package io.github.stompspringboot.broker.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.stompspringboot.broker.StompIdentity;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access rules of the seed article's Apollo broker (groups admins, monitors, users,
 * appusers), enforced on TCP clients: each action denied gets an ERROR naming the action
 * and the destination, then the connection closes.
 */
class StompAccessRulesTests {

	private static final String BCRYPT_APP1 = PasswordEncoderFactories.createDelegatingPasswordEncoder()
		.encode("app1-secret");

	private EmbeddedBroker broker;

	@BeforeEach
	void start() {
		InMemoryStompUsers users = new InMemoryStompUsers(
				List.of(new StompUser("mtchang", "{noop}mtchang-secret", Set.of("admins")),
						new StompUser("admin", "{noop}admin-secret", Set.of("monitors")),
						new StompUser("demo", "{noop}demo-secret", Set.of("users")),
						new StompUser("app1", BCRYPT_APP1, Set.of("appusers")),
						new StompUser("reader", "{noop}reader-secret", Set.of("readers")),
						new StompUser("stranger", "plain-secret", Set.of("strangers"))));
		AccessRulePolicy rules = new AccessRulePolicy(List.of(AccessRule.of(List.of("*"), List.of(), List.of("admins")),
				AccessRule.of(List.of("connect admin"), List.of(), List.of("monitors")),
				AccessRule.of(List.of("connect create send receive consume"),
						List.of("/topic/chat.**", "/queue/orders.*"), List.of("appusers")),
				AccessRule.of(List.of("connect create receive consume"), List.of("/topic/chat.**"), List.of("users")),
				AccessRule.of(List.of("connect", "receive"), List.of("/topic/chat.**"), List.of("readers")),
				AccessRule.of(List.of("connect", "receive", "create"), List.of("/user/queue/**"), List.of("users"))));
		CredentialsAuthenticator authenticator = new CredentialsAuthenticator(users, (principal) -> Set.of(), false,
				Set.of(), new LoginFailureThrottle(Duration.ZERO, Duration.ZERO, 100));
		this.broker = EmbeddedBroker.start((settings) -> {
		}, authenticator, rules);
	}

	@AfterEach
	void stop() {
		this.broker.close();
	}

	private RawStompClient login(String login, String passcode) throws Exception {
		RawStompClient client = this.broker.client();
		client
			.send("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:" + login + "\npasscode:" + passcode + "\n\n\0");
		Frame connected = client.receive();
		assertThat(connected.command()).as(connected.toString()).isEqualTo("CONNECTED");
		return client;
	}

	private static void assertDenied(RawStompClient client, String message) throws Exception {
		Frame error = client.receive();
		assertThat(error.command()).isEqualTo("ERROR");
		assertThat(error.header("message")).isEqualTo(message);
		assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
	}

	@Test
	void appUserWithBcryptPasswordSendsAndReceivesOnTheChatTopicAsInTheSeedArticle() throws Exception {
		try (RawStompClient app1 = login("app1", "app1-secret"); RawStompClient demo = login("demo", "demo-secret")) {
			demo.send("SUBSCRIBE\nid:0\ndestination:/topic/chat.general.demo\nreceipt:r\n\n\0");
			assertThat(demo.receive().command()).isEqualTo("RECEIPT");
			app1.send("SEND\ndestination:/topic/chat.general.demo\n\n5秒消失\0");
			Frame message = demo.receive();
			assertThat(message.command()).isEqualTo("MESSAGE");
			assertThat(message.bodyText()).isEqualTo("5秒消失");
		}
	}

	@Test
	void plainTextPasswordWithoutPrefixIsCheckedAsNoop() throws Exception {
		RawStompClient client = this.broker.client();
		try (client) {
			client.send("CONNECT\naccept-version:1.2\nlogin:stranger\npasscode:plain-secret\n\n\0");
			// the password is right, but no rule lets group strangers connect
			assertDenied(client, "Access denied to connect");
		}
	}

	@Test
	void connectDeniedToAUserWhoseGroupsNoRuleLetsConnect() throws Exception {
		try (RawStompClient client = this.broker.client()) {
			client.send("CONNECT\naccept-version:1.2\nlogin:stranger\npasscode:plain-secret\n\n\0");
			Frame error = client.receive();
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).isEqualTo("Access denied to connect");
			assertThat(error.bodyText()).contains("User 'stranger' may not connect");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(this.broker.broker().connectionCount()).isZero();
	}

	@Test
	void sendDeniedToUsersWhoMayOnlyReceive() throws Exception {
		try (RawStompClient demo = login("demo", "demo-secret")) {
			demo.send("SEND\ndestination:/topic/chat.general\n\nhi\0");
			assertDenied(demo, "Access denied to send to /topic/chat.general");
		}
	}

	@Test
	void sendDeniedOutsideTheRulesDestinations() throws Exception {
		try (RawStompClient app1 = login("app1", "app1-secret")) {
			app1.send("SEND\ndestination:/queue/orders.eu\nreceipt:1\n\none\0");
			assertThat(app1.receive().header("receipt-id")).isEqualTo("1");
			// orders.* is one segment: orders.eu.paris is not covered
			app1.send("SEND\ndestination:/queue/orders.eu.paris\n\ntwo\0");
			assertDenied(app1, "Access denied to send to /queue/orders.eu.paris");
		}
	}

	@Test
	void receiveDeniedToMonitors() throws Exception {
		try (RawStompClient monitor = login("admin", "admin-secret")) {
			monitor.send("SUBSCRIBE\nid:0\ndestination:/topic/chat.general\n\n\0");
			assertDenied(monitor, "Access denied to receive from /topic/chat.general");
		}
	}

	@Test
	void createDeniedToReadersUntilAnAppUserHasCreatedTheDestination() throws Exception {
		try (RawStompClient reader = login("reader", "reader-secret")) {
			reader.send("SUBSCRIBE\nid:0\ndestination:/topic/chat.new\n\n\0");
			assertDenied(reader, "Access denied to create /topic/chat.new");
		}
		assertThat(this.broker.broker().destinations().find("/topic/chat.new")).isNull();
		try (RawStompClient app1 = login("app1", "app1-secret")) {
			app1.send("SEND\ndestination:/topic/chat.new\nreceipt:1\n\nfirst\0");
			assertThat(app1.receive().command()).isEqualTo("RECEIPT");
		}
		try (RawStompClient reader = login("reader", "reader-secret")) {
			reader.send("SUBSCRIBE\nid:0\ndestination:/topic/chat.new\nreceipt:2\n\n\0");
			assertThat(reader.receive().command()).isEqualTo("RECEIPT");
		}
	}

	@Test
	void adminsMayDoEverything() throws Exception {
		try (RawStompClient admin = login("mtchang", "mtchang-secret")) {
			admin.send("SUBSCRIBE\nid:0\ndestination:/queue/anything.at.all\nreceipt:1\n\n\0");
			assertThat(admin.receive().command()).isEqualTo("RECEIPT");
			admin.send("SEND\ndestination:/queue/anything.at.all\n\nx\0");
			assertThat(admin.receive().command()).isEqualTo("MESSAGE");
		}
	}

	@Test
	void adminActionIsGrantedToAdminsAndMonitorsOnly() {
		AccessRulePolicy policy = new AccessRulePolicy(
				List.of(AccessRule.of(List.of("*"), List.of(), List.of("admins")),
						AccessRule.of(List.of("connect admin"), List.of(), List.of("monitors")),
						AccessRule.of(List.of("connect send receive"), List.of(), List.of("appusers"))));
		assertThat(policy.canAdminister(new StompIdentity("mtchang", Set.of("admins")))).isTrue();
		assertThat(policy.canAdminister(new StompIdentity("admin", Set.of("monitors")))).isTrue();
		assertThat(policy.canAdminister(new StompIdentity("app1", Set.of("appusers")))).isFalse();
		assertThat(policy.canAdminister(StompIdentity.anonymous(Set.of()))).isFalse();
	}

	@Test
	void userDestinationIsJudgedByTheNameTheClientUsedNotByItsTranslation() throws Exception {
		try (RawStompClient demo = login("demo", "demo-secret")) {
			// what Spring's user destination handler forwards for SUBSCRIBE
			// /user/queue/reply
			demo.send("SUBSCRIBE\nid:0\ndestination:/queue/reply-usera1b2\nsimpOrigDestination:/user/queue/reply\n"
					+ "receipt:1\n\n\0");
			assertThat(demo.receive().command()).isEqualTo("RECEIPT");
		}
		try (RawStompClient demo = login("demo", "demo-secret")) {
			// a forged original that is not the destination's translation is not believed
			demo.send("SUBSCRIBE\nid:0\ndestination:/queue/orders.secret\nsimpOrigDestination:/user/queue/reply\n\n\0");
			assertDenied(demo, "Access denied to receive from /queue/orders.secret");
		}
	}

	@Test
	void wrongPasscodeAndUnknownLoginGetTheSameAccessRefused() throws Exception {
		Frame wrongPasscode;
		Frame unknownLogin;
		try (RawStompClient client = this.broker.client()) {
			client.send("CONNECT\naccept-version:1.2\nlogin:app1\npasscode:guess\n\n\0");
			wrongPasscode = client.receive();
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		try (RawStompClient client = this.broker.client()) {
			client.send("CONNECT\naccept-version:1.2\nlogin:nobody\npasscode:guess\n\n\0");
			unknownLogin = client.receive();
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(wrongPasscode.command()).isEqualTo("ERROR");
		assertThat(wrongPasscode.header("message")).isEqualTo("access refused");
		assertThat(unknownLogin.headers()).isEqualTo(wrongPasscode.headers());
		assertThat(unknownLogin.bodyText()).isEqualTo(wrongPasscode.bodyText());
		assertThat(this.broker.broker().connectionCount()).isZero();
	}

	@Test
	void noLoginIsRefusedWhenAnonymousAccessIsOff() throws Exception {
		try (RawStompClient client = this.broker.client()) {
			client.send("CONNECT\naccept-version:1.2\n\n\0");
			Frame error = client.receive();
			assertThat(error.header("message")).isEqualTo("access refused");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void framesAfterARefusedConnectAreIgnored() throws Exception {
		try (RawStompClient client = this.broker.client()) {
			client.send("CONNECT\naccept-version:1.2\nlogin:app1\npasscode:guess\n\n\0"
					+ "SEND\ndestination:/topic/chat.general\n\nsneaked in\0");
			assertThat(client.receive().header("message")).isEqualTo("access refused");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(this.broker.broker().destinations().find("/topic/chat.general")).isNull();
	}

}
