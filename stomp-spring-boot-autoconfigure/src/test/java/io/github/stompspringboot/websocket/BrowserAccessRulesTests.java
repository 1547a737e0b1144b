package io.github.stompspringboot.websocket;

import java.time.Duration;

import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access rules hold browser sessions (relayed by Spring, known by their Principal) as
 * they hold TCP clients, user destinations included; what the application itself sends
 * through the relay's system session ({@code @SendTo}) is never held back.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"stomp.broker.security.users[0].login=app1", "stomp.broker.security.users[0].password={noop}unused",
				"stomp.broker.security.users[0].groups=appusers", "stomp.broker.security.anonymous.groups=guests",
				"stomp.broker.security.rules[0].actions=connect", "stomp.broker.security.rules[0].groups=*",
				"stomp.broker.security.rules[1].actions=receive create",
				"stomp.broker.security.rules[1].destinations=/topic/echo,/user/queue/**",
				"stomp.broker.security.rules[1].groups=*", "stomp.broker.security.rules[2].actions=send create",
				"stomp.broker.security.rules[2].destinations=/topic/chat.**",
				"stomp.broker.security.rules[2].groups=appusers" })
class BrowserAccessRulesTests {

	@LocalServerPort
	private int port;

	@Test
	void applicationsOwnSendToReachesABrowserThoughNoRuleLetsAnyoneSendThere() throws Exception {
		try (BrowserStompClient guest = BrowserStompClient.connect(Transport.WEBSOCKET, this.port, null)) {
			Subscription echo = guest.subscribe("/topic/echo");
			guest.send("/app/echo", "hi");
			assertThat(echo.next().body()).isEqualTo("echo:hi");
		}
	}

	@Test
	void anonymousBrowserIsDeniedSendingWhereOnlyAppUsersMay() throws Exception {
		try (BrowserStompClient guest = BrowserStompClient.connect(Transport.WEBSOCKET, this.port, null)) {
			assertThatThrownBy(() -> guest.sendWithReceipt("/topic/chat.general", "hi"));
			assertThat(guest.nextError(Duration.ofSeconds(5))).isEqualTo("ERROR Access denied to send to /topic/chat.general");
		}
	}

	@Test
	void browserWhosePrincipalIsAConfiguredUserGetsItsGroups() throws Exception {
		try (BrowserStompClient app1 = BrowserStompClient.connect(Transport.WEBSOCKET, this.port, "app1")) {
			Subscription whoami = app1.subscribe("/user/queue/whoami");
			app1.sendWithReceipt("/topic/chat.general", "hi");
			app1.send("/app/whoami", "");
			assertThat(whoami.next().body()).isEqualTo("app1");
		}
	}

	@Test
	void browserSubscribingOutsideTheRulesIsDenied() throws Exception {
		try (BrowserStompClient guest = BrowserStompClient.connect(Transport.WEBSOCKET, this.port, null)) {
			assertThatThrownBy(() -> guest.subscribe("/topic/secret"));
			assertThat(guest.nextError(Duration.ofSeconds(5))).isEqualTo("ERROR Access denied to receive from /topic/secret");
		}
	}

}
