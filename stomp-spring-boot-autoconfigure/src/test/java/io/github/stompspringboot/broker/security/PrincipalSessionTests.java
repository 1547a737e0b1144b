package io.github.stompspringboot.broker.security;

import io.github.stompspringboot.support.RecordingSessionSink;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions whose CONNECT carries a Principal, as Spring's relay forwards a browser
 * session's ({@code simpUser}): one that Spring Security authenticated is trusted without
 * a password, any other proves nothing; all are held to the same access rules as TCP
 * clients.
 */
class PrincipalSessionTests {

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final StompBroker broker;

	PrincipalSessionTests() {
		InMemoryStompUsers users = new InMemoryStompUsers(
				List.of(new StompUser("app1", "{noop}x", Set.of("appusers"))));
		AccessRulePolicy rules = new AccessRulePolicy(
				List.of(AccessRule.of(List.of("connect"), List.of(), List.of("*")),
						AccessRule.of(List.of("send create"), List.of("/topic/chat.**"), List.of("appusers"))));
		// As the starter wires it with security on: only an authenticated Spring Security
		// Authentication proves who a session is.
		CredentialsAuthenticator authenticator = new CredentialsAuthenticator(users, (principal) -> {
			if (!AuthenticationManagerLoginVerifier.isAuthenticated(principal)) {
				return null;
			}
			Set<String> groups = new java.util.HashSet<>(users.groupsOf(principal.getName()));
			groups.addAll(AuthenticationManagerLoginVerifier.groupsOf(principal));
			return groups;
		}, false, Set.of(), new LoginFailureThrottle(Duration.ZERO, Duration.ZERO, 10));
		this.broker = new StompBroker(new BrokerSettings(), this.scheduler, authenticator, rules);
	}

	@AfterEach
	void stop() {
		this.broker.shutdown();
		this.scheduler.shutdownNow();
	}

	@Test
	void principalNamedLikeAConfiguredUserProvesNothingWithoutThePasscode() {
		RecordingSessionSink sink = new RecordingSessionSink("in-jvm");
		StompSession session = this.broker.openSession(sink);
		session.handle(frame(StompCommand.CONNECT, () -> "app1", "accept-version", "1.2"));
		// anonymous access is off here, so a Principal that proves nothing is refused
		assertThat(sink.commands()).containsExactly(StompCommand.ERROR);
		assertThat(StompHeaderAccessor.wrap(sink.frames().get(0)).getMessage()).isEqualTo("access refused");
	}

	@Test
	void principalWithTheConfiguredUsersPasscodeGetsItsGroups() {
		RecordingSessionSink sink = new RecordingSessionSink("in-jvm");
		StompSession session = this.broker.openSession(sink);
		session.handle(
				frame(StompCommand.CONNECT, () -> "app1", "accept-version", "1.2", "login", "app1", "passcode", "x"));
		assertThat(sink.commands()).containsExactly(StompCommand.CONNECTED);
		assertThat(session.user()).isEqualTo("app1");
		session.handle(frame(StompCommand.SEND, null, "destination", "/topic/chat.general", "receipt", "1"));
		assertThat(sink.commands()).containsExactly(StompCommand.CONNECTED, StompCommand.RECEIPT);
		session.handle(frame(StompCommand.SEND, null, "destination", "/queue/elsewhere"));
		assertThat(sink.commands()).last().isEqualTo(StompCommand.ERROR);
		assertThat(StompHeaderAccessor.wrap(sink.frames().get(2)).getMessage())
			.isEqualTo("Access denied to send to /queue/elsewhere");
		assertThat(sink.isClosed()).isTrue();
	}

	@Test
	void authenticatedPrincipalWhoseNameCouldPassForAPathIsRefused() {
		RecordingSessionSink sink = new RecordingSessionSink("in-jvm");
		StompSession session = this.broker.openSession(sink);
		Principal odd = UsernamePasswordAuthenticationToken.authenticated("../app1", null,
				AuthorityUtils.createAuthorityList("ROLE_appusers"));
		session.handle(frame(StompCommand.CONNECT, odd, "accept-version", "1.2"));
		assertThat(sink.commands()).containsExactly(StompCommand.ERROR);
		assertThat(StompHeaderAccessor.wrap(sink.frames().get(0)).getMessage()).isEqualTo("Invalid user name");
	}

	@Test
	void springSecurityAuthoritiesAreGroupsWithAndWithoutRolePrefix() {
		RecordingSessionSink sink = new RecordingSessionSink("in-jvm");
		StompSession session = this.broker.openSession(sink);
		Principal browserUser = UsernamePasswordAuthenticationToken.authenticated("alice", null,
				AuthorityUtils.createAuthorityList("ROLE_appusers"));
		session.handle(frame(StompCommand.CONNECT, browserUser, "accept-version", "1.2", "login", "relay-login",
				"passcode", "relay-passcode"));
		session.handle(frame(StompCommand.SEND, null, "destination", "/topic/chat.general", "receipt", "1"));
		assertThat(sink.commands()).containsExactly(StompCommand.CONNECTED, StompCommand.RECEIPT);
	}

	@Test
	void withoutPrincipalAndWithoutLoginTheSessionIsRefusedWhenAnonymousIsOff() {
		RecordingSessionSink sink = new RecordingSessionSink("in-jvm");
		StompSession session = this.broker.openSession(sink);
		session.handle(frame(StompCommand.CONNECT, null, "accept-version", "1.2"));
		assertThat(sink.commands()).containsExactly(StompCommand.ERROR);
		assertThat(StompHeaderAccessor.wrap(sink.frames().get(0)).getMessage()).isEqualTo("access refused");
		assertThat(sink.isClosed()).isTrue();
	}

	private static Message<byte[]> frame(StompCommand command, Principal user, String... headers) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		for (int i = 0; i < headers.length; i += 2) {
			if ("passcode".equals(headers[i])) {
				// kept out of the native headers, as decoders do
				accessor.setPasscode(headers[i + 1]);
			}
			else {
				accessor.setNativeHeader(headers[i], headers[i + 1]);
			}
		}
		if (user != null) {
			accessor.setUser(user);
		}
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
