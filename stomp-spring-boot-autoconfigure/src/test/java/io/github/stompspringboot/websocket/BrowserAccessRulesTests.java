package io.github.stompspringboot.websocket;

import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketHttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access rules hold browser sessions (relayed by Spring, known by their Principal) as
 * they hold TCP clients, user destinations included; what the application itself sends
 * through the relay's system session ({@code @SendTo}) is never held back.
 */
@SpringBootTest(classes = BrowserTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.security.users[0].login=app1",
		"stomp.broker.security.users[0].password={noop}app1-secret", "stomp.broker.security.users[0].groups=appusers",
		"stomp.broker.security.anonymous.groups=guests", "stomp.broker.security.rules[0].actions=connect",
		"stomp.broker.security.rules[0].groups=*", "stomp.broker.security.rules[1].actions=receive create",
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
			assertThat(guest.sendRefused("/topic/chat.general", "hi"))
				.isEqualTo("Access denied to send to /topic/chat.general");
		}
	}

	@Test
	void browserThatProvesAConfiguredUsersPasscodeGetsItsGroups() throws Exception {
		StompHeaders connect = new StompHeaders();
		connect.add("user", "app1");
		connect.setLogin("app1");
		connect.setPasscode("app1-secret");
		try (BrowserStompClient app1 = BrowserStompClient.connect(Transport.WEBSOCKET, this.port,
				new WebSocketHttpHeaders(), connect)) {
			Subscription whoami = app1.subscribe("/user/queue/whoami");
			app1.sendWithReceipt("/topic/chat.general", "hi");
			app1.send("/app/whoami", "");
			assertThat(whoami.next().body()).isEqualTo("app1");
		}
	}

	@ParameterizedTest
	@EnumSource(Transport.class)
	void theErrorOfEveryRefusedFrameReachesTheBrowserBeforeTheClose(Transport transport) throws Exception {
		// Spring closes the WebSocket right after the ERROR; the ERROR used to be lost
		// now and then (4 of 300 over plain WebSocket) when the frame before it was still
		// being written.
		for (int round = 0; round < 200; round++) {
			try (BrowserStompClient guest = BrowserStompClient.connect(transport, this.port, null)) {
				assertThat(guest.sendRefused("/topic/chat.general", "hi")).as("round %d", round)
					.isEqualTo("Access denied to send to /topic/chat.general");
			}
		}
	}

	@Test
	void browserSubscribingOutsideTheRulesIsDenied() throws Exception {
		try (BrowserStompClient guest = BrowserStompClient.connect(Transport.WEBSOCKET, this.port, null)) {
			assertThat(guest.subscribeRefused("/topic/secret"))
				.isEqualTo("Access denied to receive from /topic/secret");
		}
	}

}
