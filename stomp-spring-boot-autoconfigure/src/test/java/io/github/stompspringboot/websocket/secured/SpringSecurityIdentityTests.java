package io.github.stompspringboot.websocket.secured;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.test.StompTestClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Security as a Boot user has it: {@code spring.security.user.*} alone lets a TCP
 * client log in, and a browser that logged in through the form is trusted without a
 * passcode, its roles acting as the access rules' groups.
 */
@SpringBootTest(classes = SecuredBrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.autoconfigure.exclude=", "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"spring.security.user.name=ada", "spring.security.user.password=lovelace",
				"spring.security.user.roles=writers", "stomp.broker.security.login-failure.delay=0s",
				"stomp.broker.security.login-failure.max-delay=0s",
				"stomp.broker.security.rules[0].actions=connect receive create",
				"stomp.broker.security.rules[0].groups=*", "stomp.broker.security.rules[1].actions=send",
				"stomp.broker.security.rules[1].destinations=/topic/chat.**",
				"stomp.broker.security.rules[1].groups=writers" })
class SpringSecurityIdentityTests {

	private static final Pattern CSRF_TOKEN = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Value("${local.stomp.port}")
	private int stompPort;

	@Autowired
	private StompBroker broker;

	@Test
	void springSecurityUserAloneLetsATcpClientLogIn() throws Exception {
		try (RawStompClient ada = RawStompClient.connect(this.stompPort, "1.2", "login:ada\npasscode:lovelace\n")) {
			// ROLE_writers is the group writers
			ada.sendWithReceipt("/topic/chat.general", "hello from telnet");
		}
		try (RawStompClient wrong = new RawStompClient(this.stompPort)) {
			wrong.send("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:ada\npasscode:babbage\n\n\0");
			assertThat(wrong.expect("ERROR").header("message")).isEqualTo("access refused");
		}
	}

	@Test
	void starterTestClientLogsInWithLoginAndPasscode() throws Exception {
		try (StompTestClient ada = StompTestClient.tcp(this.stompPort).connect("ada", "lovelace")) {
			ada.send("/topic/chat.general", "hello from a test");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void browserThatLoggedInThroughTheFormIsTrustedWithoutPasscode(Transport transport) throws Exception {
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add(HttpHeaders.COOKIE, formLogin("ada", "lovelace"));
		try (BrowserStompClient ada = BrowserStompClient.connect(transport, this.port, handshake, new StompHeaders())) {
			StompSession session = await().atMost(Duration.ofSeconds(5))
				.until(() -> this.broker.sessions().stream().filter((s) -> "ada".equals(s.user())).findFirst(),
						java.util.Optional::isPresent)
				.get();
			assertThat(session.remoteAddress()).contains("127.0.0.1");
			ada.sendWithReceipt("/topic/chat.general", "hello from the page");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void browserLoggedInAsSomeoneWithoutTheRoleIsHeldByTheRules(Transport transport) throws Exception {
		// Logged in, but its CONNECT claims another login: the Authentication decides,
		// not the header.
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add(HttpHeaders.COOKIE, formLogin("ada", "lovelace"));
		StompHeaders connect = new StompHeaders();
		connect.setLogin("mallory");
		connect.setPasscode("guess");
		try (BrowserStompClient ada = BrowserStompClient.connect(transport, this.port, handshake, connect)) {
			ada.sendWithReceipt("/topic/chat.general", "still ada");
			assertThat(ada.sendRefused("/topic/elsewhere", "no rule lets writers send here"))
				.isEqualTo("Access denied to send to /topic/elsewhere");
		}
	}

	/**
	 * Logs in through Boot's login form as a person would; returns the session cookie.
	 */
	private String formLogin(String username, String password) throws Exception {
		CookieManager cookies = new CookieManager();
		HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
		URI login = URI.create("http://127.0.0.1:" + this.port + "/login");
		String page = http
			.send(HttpRequest.newBuilder(login).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher csrf = CSRF_TOKEN.matcher(page);
		assertThat(csrf.find()).as("a CSRF token in the login page").isTrue();
		String form = "username=" + username + "&password=" + password + "&_csrf=" + csrf.group(1);
		HttpResponse<String> loggedIn = http.send(HttpRequest.newBuilder(login)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(loggedIn.statusCode()).as("the login's redirect").isEqualTo(302);
		assertThat(loggedIn.headers().firstValue("Location"))
			.hasValueSatisfying((to) -> assertThat(to).doesNotContain("error"));
		return cookies.getCookieStore()
			.get(login)
			.stream()
			.map((cookie) -> cookie.getName() + "=" + cookie.getValue())
			.collect(Collectors.joining("; "));
	}

}
