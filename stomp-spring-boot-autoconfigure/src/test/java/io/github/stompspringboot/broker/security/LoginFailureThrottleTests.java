package io.github.stompspringboot.broker.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.support.Bystander;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Repeated wrong logins from one address wait longer and longer for their refusal, on the
 * broker's timer: other clients, on the same event loops, go on unhindered meanwhile.
 */
class LoginFailureThrottleTests {

	@Test
	void delayDoublesPerFailureUpToTheMaximum() {
		LoginFailureThrottle throttle = new LoginFailureThrottle(Duration.ofMillis(100), Duration.ofMillis(500), 10);
		assertThat(throttle.failed("/10.0.0.1:1000")).isEqualTo(Duration.ofMillis(100));
		assertThat(throttle.failed("/10.0.0.1:1001")).isEqualTo(Duration.ofMillis(200));
		assertThat(throttle.failed("/10.0.0.1:1002")).isEqualTo(Duration.ofMillis(400));
		assertThat(throttle.failed("/10.0.0.1:1003")).isEqualTo(Duration.ofMillis(500));
		assertThat(throttle.failed("/10.0.0.2:1000")).isEqualTo(Duration.ofMillis(100));
		throttle.succeeded("/10.0.0.1:2000");
		assertThat(throttle.failed("/10.0.0.1:1004")).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void delayNeverOverflowsHoweverManyFailures() {
		LoginFailureThrottle throttle = new LoginFailureThrottle(Duration.ofSeconds(1), Duration.ofSeconds(30), 10);
		Duration last = Duration.ZERO;
		for (int i = 0; i < 200; i++) {
			last = throttle.failed("/10.0.0.1:1");
		}
		assertThat(last).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void remembersAtMostTheConfiguredNumberOfAddresses() {
		LoginFailureThrottle throttle = new LoginFailureThrottle(Duration.ofMillis(100), Duration.ofSeconds(1), 1000);
		for (int i = 0; i < 100_000; i++) {
			throttle.failed("/10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + ":4000");
		}
		assertThat(throttle.trackedAddresses()).isEqualTo(1000);
	}

	@Test
	void ipv6AddressesLoseOnlyTheirPort() {
		assertThat(LoginFailureThrottle.hostOf("/0:0:0:0:0:0:0:1:61613")).isEqualTo("0:0:0:0:0:0:0:1");
		assertThat(LoginFailureThrottle.hostOf("/127.0.0.1:61613")).isEqualTo("127.0.0.1");
		assertThat(LoginFailureThrottle.hostOf("in-jvm")).isEqualTo("in-jvm");
	}

	@Test
	void repeatedWrongLoginsOverTcpWaitLongerEachTimeWhileOtherClientsGoOn() throws Exception {
		InMemoryStompUsers users = new InMemoryStompUsers(List.of(new StompUser("app1", "{noop}right", Set.of())));
		LoginFailureThrottle throttle = new LoginFailureThrottle(Duration.ofMillis(300), Duration.ofSeconds(2), 100);
		CredentialsAuthenticator authenticator = new CredentialsAuthenticator(users, (p) -> Set.of(), true, Set.of(),
				throttle);
		try (EmbeddedBroker broker = EmbeddedBroker.start((s) -> {
		}, authenticator, StompAuthorizationPolicy.ALLOW_ALL); Bystander bystander = Bystander.start(broker.port())) {
			long[] waited = new long[3];
			for (int attempt = 0; attempt < 3; attempt++) {
				try (RawStompClient guesser = broker.client()) {
					long start = System.nanoTime();
					guesser.send("CONNECT\naccept-version:1.2\nlogin:app1\npasscode:guess" + attempt + "\n\n\0");
					// while the guesser waits, the bystander's messages flow
					bystander.exchange(20);
					Frame error = guesser.receive(Duration.ofSeconds(10));
					waited[attempt] = (System.nanoTime() - start) / 1_000_000;
					assertThat(error.header("message")).isEqualTo("access refused");
					assertThat(guesser.awaitClosed(Duration.ofSeconds(5))).isTrue();
				}
			}
			assertThat(waited[0]).isGreaterThanOrEqualTo(300);
			assertThat(waited[1]).isGreaterThanOrEqualTo(600);
			assertThat(waited[2]).isGreaterThanOrEqualTo(1200);
			// the right passcode still gets in, and resets the count
			try (RawStompClient app1 = broker.client()) {
				app1.send("CONNECT\naccept-version:1.2\nlogin:app1\npasscode:right\n\n\0");
				assertThat(app1.receive().command()).isEqualTo("CONNECTED");
			}
			assertThat(throttle.trackedAddresses()).isZero();
			bystander.exchange(20);
			assertThat(bystander.received()).isEqualTo(bystander.sent()).isEqualTo(80);
		}
	}

}
