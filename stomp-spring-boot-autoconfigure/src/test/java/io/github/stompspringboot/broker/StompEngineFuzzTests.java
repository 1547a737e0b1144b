package io.github.stompspringboot.broker;

import io.github.stompspringboot.support.RecordingSessionSink;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.broker.security.AccessRule;
import io.github.stompspringboot.broker.security.AccessRulePolicy;
import io.github.stompspringboot.broker.security.CredentialsAuthenticator;
import io.github.stompspringboot.broker.security.InMemoryStompUsers;
import io.github.stompspringboot.broker.security.LoginFailureThrottle;
import io.github.stompspringboot.broker.security.StompUser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random frame sequences, well-formed as frames but with any command, any header from the
 * STOMP vocabulary and values good or bad, fed to several sessions of one engine with and
 * without access rules. The engine never throws, every ERROR says what went wrong and
 * closes the session, and once all connections are gone nothing of them is left: no
 * connection counted, no subscription on any destination.
 */
class StompEngineFuzzTests {

	private static final List<String> HEADER_NAMES = List.of("destination", "id", "ack", "receipt", "transaction",
			"content-length", "content-type", "heart-beat", "accept-version", "host", "login", "passcode", "message-id",
			"subscription", "selector", "simpOrigDestination", "x-custom", "");

	private static final List<String> HEADER_VALUES = List.of("", "/queue/a", "/topic/chat.general", "/queue/orders.eu",
			"/user/queue/reply", "/queue/reply-user1", "testSTOMP", "0", "1", "-1", "0|s1-1", "s1-1", "auto", "client",
			"client-individual", "bogus", "1.0", "1.1", "1.2", "2.0", "1.0,1.1,1.2", "10,10", "0,0", "1,x", "-5,5",
			"app1", "right", "wrong", "text/plain", "99999999999999999999", "\\c", "é€😀", "x".repeat(300));

	/**
	 * Made once: it encodes a bcrypt password for unknown logins, which takes a while.
	 */
	private static final InMemoryStompUsers USERS = new InMemoryStompUsers(
			List.of(new StompUser("app1", "{noop}right", Set.of("appusers"))));

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	@AfterProperty
	void stopScheduler() {
		this.scheduler.shutdownNow();
	}

	@Property(tries = 300)
	void randomFrameSequencesNeverBreakTheEngine(@ForAll("sessions") List<List<Message<byte[]>>> sessions) {
		run(new StompBroker(new BrokerSettings().setHeartbeatSend(Duration.ZERO), this.scheduler), sessions);
	}

	@Property(tries = 300)
	void randomFrameSequencesNeverBreakTheSecuredEngine(@ForAll("sessions") List<List<Message<byte[]>>> sessions) {
		AccessRulePolicy rules = new AccessRulePolicy(
				List.of(AccessRule.of(List.of("connect"), List.of(), List.of("*")),
						AccessRule.of(List.of("send receive create"), List.of("/queue/orders.*", "/user/queue/**"),
								List.of("appusers")),
						AccessRule.of(List.of("receive"), List.of("/topic/**"), List.of("*"))));
		CredentialsAuthenticator authenticator = new CredentialsAuthenticator(USERS, (Principal p) -> Set.of(), true,
				Set.of(), new LoginFailureThrottle(Duration.ZERO, Duration.ZERO, 10));
		run(new StompBroker(new BrokerSettings().setHeartbeatSend(Duration.ZERO), this.scheduler, authenticator, rules),
				sessions);
	}

	private static void run(StompBroker broker, List<List<Message<byte[]>>> sessions) {
		List<RecordingSessionSink> sinks = new ArrayList<>();
		List<StompSession> opened = new ArrayList<>();
		for (int i = 0; i < sessions.size(); i++) {
			RecordingSessionSink sink = new RecordingSessionSink("/127.0.0.1:1");
			sinks.add(sink);
			opened.add(broker.openSession(sink));
		}
		// interleave the sessions' frames, as concurrent clients would
		int longest = sessions.stream().mapToInt(List::size).max().orElse(0);
		for (int step = 0; step < longest; step++) {
			for (int i = 0; i < sessions.size(); i++) {
				if (step < sessions.get(i).size()) {
					opened.get(i).handle(sessions.get(i).get(step));
				}
			}
		}
		for (RecordingSessionSink sink : sinks) {
			for (Message<byte[]> frame : sink.frames()) {
				StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
				assertThat(accessor.getCommand()).isIn(StompCommand.CONNECTED, StompCommand.MESSAGE,
						StompCommand.RECEIPT, StompCommand.ERROR);
				if (accessor.getCommand() == StompCommand.ERROR) {
					assertThat(accessor.getMessage()).isNotBlank();
					assertThat(sink.isClosed()).as("a session that got an ERROR is closed").isTrue();
				}
			}
		}
		opened.forEach(StompSession::transportClosed);
		assertThat(broker.connectionCount()).isZero();
		assertThat(broker.sessions()).isEmpty();
		for (Destination destination : broker.destinations().all()) {
			assertThat(destination.consumerCount()).as(destination.name()).isZero();
		}
	}

	@Provide
	Arbitrary<List<List<Message<byte[]>>>> sessions() {
		Arbitrary<Message<byte[]>> connect = Combinators
			.combine(Arbitraries.of(StompCommand.CONNECT, StompCommand.STOMP), headers())
			.as((command, headers) -> frame(command, headers, new byte[0]));
		Arbitrary<Message<byte[]>> any = Combinators
			.combine(Arbitraries.of(StompCommand.values()), headers(),
					Arbitraries.strings().ofMaxLength(20).map((s) -> s.getBytes(StandardCharsets.UTF_8)))
			.as(StompEngineFuzzTests::frame);
		Arbitrary<List<Message<byte[]>>> session = Combinators.combine(connect, any.list().ofMaxSize(25))
			.as((first, rest) -> {
				List<Message<byte[]>> frames = new ArrayList<>();
				frames.add(first);
				frames.addAll(rest);
				return frames;
			});
		Arbitrary<List<Message<byte[]>>> withoutConnect = any.list().ofMaxSize(5);
		return Arbitraries.oneOf(session, session, withoutConnect).list().ofMinSize(1).ofMaxSize(4);
	}

	private Arbitrary<List<String[]>> headers() {
		return Combinators.combine(Arbitraries.of(HEADER_NAMES), Arbitraries.of(HEADER_VALUES))
			.as((name, value) -> new String[] { name, value })
			.list()
			.ofMaxSize(8);
	}

	private static Message<byte[]> frame(StompCommand command, List<String[]> headers, byte[] body) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		for (String[] header : headers) {
			if (accessor.getFirstNativeHeader(header[0]) == null && !"content-type".equals(header[0])) {
				accessor.addNativeHeader(header[0], header[1]);
			}
		}
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

}
