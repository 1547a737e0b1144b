package io.github.stompspringboot.bridge.secured;

import java.time.Duration;

import io.github.stompspringboot.test.LocalStompPort;
import io.github.stompspringboot.test.StompFrame;
import io.github.stompspringboot.test.StompTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's Spring Security messaging authorization holds TCP clients as it holds
 * browsers: the broker's users and groups become the {@code Authentication} it judges,
 * for frames to the application and to the broker alike.
 */
@SpringBootTest(classes = MessagingSecurityTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.security.users[0].login=root",
				"stomp.broker.security.users[0].password={noop}r00t", "stomp.broker.security.users[0].groups=admins",
				"stomp.broker.security.users[1].login=bob", "stomp.broker.security.users[1].password={noop}b0b",
				"stomp.broker.security.users[1].groups=users" })
class TcpClientMessagingSecurityTests {

	@LocalStompPort
	private int stompPort;

	@Test
	void aTcpClientWhoseGroupTheAuthorizationManagerWantsReachesTheController() throws Exception {
		try (StompTestClient root = StompTestClient.tcp(this.stompPort).connect("root", "r00t")) {
			StompTestClient.Subscription done = root.subscribe("/topic/admin.done");
			root.send("/app/admin.reset", "the counters");
			assertThat(done.awaitMessage(Duration.ofSeconds(10)).body()).isEqualTo("reset the counters");
		}
	}

	@Test
	void aTcpClientWithoutThatGroupIsRefusedAtTheController() throws Exception {
		try (StompTestClient bob = StompTestClient.tcp(this.stompPort).connect("bob", "b0b")) {
			bob.send("/app/admin.reset", "everything");
			StompFrame error = bob.awaitError(Duration.ofSeconds(10));
			assertThat(error.command()).isEqualTo("ERROR");
		}
	}

	@Test
	void aTcpClientWithoutThatGroupIsRefusedAtTheBrokerDestinationToo() throws Exception {
		try (StompTestClient bob = StompTestClient.tcp(this.stompPort).connect("bob", "b0b")) {
			StompTestClient.Subscription news = bob.subscribe("/topic/news");
			bob.send("/topic/news", "permitted to everyone");
			assertThat(news.awaitMessage(Duration.ofSeconds(10)).body()).isEqualTo("permitted to everyone");
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> bob.subscribe("/topic/admin.done"))
				.hasMessageContaining("ERROR");
		}
	}

}
