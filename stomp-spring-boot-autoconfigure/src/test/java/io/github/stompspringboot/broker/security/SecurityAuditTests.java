package io.github.stompspringboot.broker.security;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSecurityListener;
import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.support.RecordingSessionSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refused logins and frames are in the log, at most once a second per address however
 * fast a client guesses, and each one reaches the security listener; a passcode never
 * appears.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityAuditTests {

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final List<String> heard = new CopyOnWriteArrayList<>();

	private final StompBroker broker;

	SecurityAuditTests() {
		InMemoryStompUsers users = new InMemoryStompUsers(List.of(new StompUser("app1", "{noop}right", Set.of())));
		CredentialsAuthenticator authenticator = new CredentialsAuthenticator(users, (principal) -> null, true,
				Set.of(), new LoginFailureThrottle(Duration.ZERO, Duration.ZERO, 10));
		AccessRulePolicy rules = new AccessRulePolicy(
				List.of(AccessRule.of(List.of("connect receive create"), List.of(), List.of(AccessRule.EVERYONE))));
		this.broker = new StompBroker(new BrokerSettings(), this.scheduler, authenticator, rules);
		this.broker.setSecurityListener(new StompSecurityListener() {

			@Override
			public void loginRefused(String login, String remoteAddress, String reason) {
				SecurityAuditTests.this.heard.add("login " + login + " from " + remoteAddress + ": " + reason);
			}

			@Override
			public void accessDenied(String user, String remoteAddress, String action, String destination) {
				SecurityAuditTests.this.heard
					.add(action + " " + destination + " by " + user + " from " + remoteAddress);
			}

		});
	}

	@AfterEach
	void stop() {
		this.broker.shutdown();
		this.scheduler.shutdownNow();
	}

	@Test
	void fiveWrongPasscodesInASecondAreOneWarningAndFiveEvents(CapturedOutput output) {
		for (int attempt = 0; attempt < 5; attempt++) {
			connect("/127.0.0.2:" + (40000 + attempt), "login", "app1", "passcode", "guess" + attempt);
		}
		connect("/127.0.0.3:40000", "login", "app1", "passcode", "guess-from-elsewhere");
		assertThat(this.heard).hasSize(6)
			.allSatisfy((event) -> assertThat(event).startsWith("login app1 from /127.0.0.")
				.endsWith(": unknown login or wrong passcode"));
		assertThat(output.getOut().lines().filter((line) -> line.contains("Refused STOMP login 'app1'"))).hasSize(2)
			.anySatisfy((line) -> assertThat(line).contains("from /127.0.0.2:40000"))
			.anySatisfy((line) -> assertThat(line).contains("from /127.0.0.3:40000"));
		assertThat(output.getAll()).doesNotContain("guess");
	}

	@Test
	void frameTheRulesRefuseIsLoggedAndHeard(CapturedOutput output) {
		RecordingSessionSink sink = connect("/127.0.0.4:40000");
		StompSession session = this.broker.sessions().iterator().next();
		session.handle(frame(StompCommand.SEND, "destination", "/queue/orders"));
		assertThat(sink.commands()).last().isEqualTo(StompCommand.ERROR);
		assertThat(this.heard).containsExactly("send to /queue/orders by null from /127.0.0.4:40000");
		assertThat(output.getOut())
			.contains("Refused send to /queue/orders to an anonymous user from /127.0.0.4:40000");
	}

	private RecordingSessionSink connect(String remoteAddress, String... headers) {
		RecordingSessionSink sink = new RecordingSessionSink(remoteAddress);
		StompSession session = this.broker.openSession(sink);
		String[] all = new String[headers.length + 2];
		all[0] = "accept-version";
		all[1] = "1.2";
		System.arraycopy(headers, 0, all, 2, headers.length);
		session.handle(frame(StompCommand.CONNECT, all));
		return sink;
	}

	private static Message<byte[]> frame(StompCommand command, String... headers) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		for (int i = 0; i < headers.length; i += 2) {
			if ("passcode".equals(headers[i])) {
				accessor.setPasscode(headers[i + 1]);
			}
			else {
				accessor.setNativeHeader(headers[i], headers[i + 1]);
			}
		}
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
