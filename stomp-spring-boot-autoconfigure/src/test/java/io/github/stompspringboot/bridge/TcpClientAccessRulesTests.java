package io.github.stompspringboot.bridge;

import io.github.stompspringboot.bridge.app.TcpBridgeTestApplication;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TCP client under the broker's access rules: its Principal is the user the broker
 * authenticated, its user destinations are judged by the name it used, and what the
 * application sends in answer to it is the application's, which no rule holds back.
 */
@DirtiesContext
@SpringBootTest(classes = TcpBridgeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"stomp.broker.security.users[0].login=tessa", "stomp.broker.security.users[0].password={noop}pw",
				"stomp.broker.security.users[0].groups=appusers", "stomp.broker.security.rules[0].actions=connect",
				"stomp.broker.security.rules[0].groups=appusers",
				"stomp.broker.security.rules[1].actions=receive create",
				"stomp.broker.security.rules[1].destinations=/topic/greetings,/user/queue/**",
				"stomp.broker.security.rules[1].groups=appusers" })
class TcpClientAccessRulesTests {

	@Value("${local.stomp.port}")
	private int stompPort;

	private RawStompClient tessa() throws Exception {
		return RawStompClient.connect(this.stompPort, "1.2", "login:tessa\npasscode:pw\n");
	}

	@Test
	void authenticatedUserIsThePrincipalAndGetsRepliesWhereNoRuleLetsHerSend() throws Exception {
		try (RawStompClient tessa = tessa()) {
			tessa.subscribe("me", "/user/queue/whoami", null);
			tessa.subscribe("g", "/topic/greetings", null);
			tessa.send("SEND\ndestination:/app/whoami\n\n\0");
			assertThat(tessa.expect("MESSAGE").bodyText()).isEqualTo("tessa over tcp");
			tessa.send("SEND\ndestination:/app/greet/all\nx-mood:ok\n\nhello\0");
			assertThat(tessa.expect("MESSAGE").bodyText()).isEqualTo("all:hello:ok:tessa");
		}
	}

	@Test
	void userDestinationOutsideTheRulesIsDeniedByTheNameTheClientUsed() throws Exception {
		try (RawStompClient tessa = tessa()) {
			tessa.send("SUBSCRIBE\nid:x\ndestination:/user/topic/elsewhere\nreceipt:x\n\n\0");
			Frame error = tessa.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("Access denied to receive from /user/topic/elsewhere");
		}
	}

	@Test
	void anonymousClientIsStillRefusedByTheBroker() throws Exception {
		try (RawStompClient anonymous = new RawStompClient(this.stompPort)) {
			anonymous.send("CONNECT\naccept-version:1.2\nhost:localhost\nnickname:sneaky\n\n\0");
			Frame error = anonymous.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("Access denied to connect");
		}
	}

}
