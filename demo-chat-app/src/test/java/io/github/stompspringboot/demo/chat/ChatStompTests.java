package io.github.stompspringboot.demo.chat;

import java.util.Map;

import io.github.stompspringboot.test.StompTestClient;
import io.github.stompspringboot.test.StompTestClient.Subscription;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The chat's destinations as the page uses them, through the starter's test client on the
 * plain WebSocket at {@code /stomp}: no browser needed, so these run everywhere. The
 * STOMP TCP listener gets a free port by itself in tests.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"stomp.broker.tcp.host=127.0.0.1", "chat.history-size=3", "chat.max-message-length=20" })
class ChatStompTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private StompTestClient connect(String nickname) throws Exception {
		return StompTestClient.webSocket("ws://127.0.0.1:" + this.port + "/stomp")
			.connect(Map.of("nickname", nickname));
	}

	private static JsonNode json(Subscription subscription) {
		return json.readTree(subscription.awaitMessage().body());
	}

	@Test
	void roomMessageCarriesTheSendersNicknameAndTheServersTime() throws Exception {
		try (StompTestClient ada = connect("ada")) {
			Subscription room = ada.subscribe("/topic/chat.stamps");
			ada.send("/app/chat.stamps", "{\"text\":\"  hello  \",\"nickname\":\"not-ada\"}");
			JsonNode message = json(room);
			assertThat(message.get("nickname").asString()).isEqualTo("ada");
			assertThat(message.get("text").asString()).isEqualTo("hello");
			assertThat(message.get("room").asString()).isEqualTo("stamps");
			assertThat(message.get("type").asString()).isEqualTo("chat");
			assertThat(message.get("id").asString()).isNotBlank();
			assertThat(message.get("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		}
	}

	@Test
	void lateJoinerGetsTheLastMessagesOfTheRoomOldestFirst() throws Exception {
		try (StompTestClient ada = connect("ada")) {
			Subscription room = ada.subscribe("/topic/chat.late");
			for (String text : new String[] { "one", "two", "three", "four" }) {
				ada.send("/app/chat.late", "{\"text\":\"" + text + "\"}");
				room.awaitMessageContaining(text);
			}
			try (StompTestClient bob = connect("bob")) {
				JsonNode history = json(bob.subscribe("/app/history.late"));
				assertThat(history.valueStream().map((message) -> message.get("text").asString()))
					.containsExactly("two", "three", "four");
			}
		}
	}

	@Test
	void privateMessageReachesTheAddresseeAndTheSenderOnly() throws Exception {
		try (StompTestClient ada = connect("ada");
				StompTestClient bob = connect("bob");
				StompTestClient eve = connect("eve")) {
			Subscription adaPrivate = ada.subscribe("/user/queue/private");
			Subscription bobPrivate = bob.subscribe("/user/queue/private");
			Subscription evePrivate = eve.subscribe("/user/queue/private");
			ada.send("/app/private", "{\"to\":\"bob\",\"text\":\"psst\"}");
			JsonNode received = json(bobPrivate);
			assertThat(received.get("nickname").asString()).isEqualTo("ada");
			assertThat(received.get("to").asString()).isEqualTo("bob");
			assertThat(received.get("type").asString()).isEqualTo("private");
			assertThat(adaPrivate.awaitMessage().body()).contains("psst");
			// a later message to eve comes after the first on her connection, had it been
			// misrouted
			bob.send("/app/private", "{\"to\":\"eve\",\"text\":\"marker\"}");
			assertThat(evePrivate.awaitMessage().body()).contains("marker").doesNotContain("psst");
		}
	}

	@Test
	void refusalsGoToTheSendersErrorQueueWithAReason() throws Exception {
		try (StompTestClient ada = connect("ada")) {
			Subscription errors = ada.subscribe("/user/queue/errors");
			ada.send("/app/chat.general", "{\"text\":\"this message is far too long for the limit\"}");
			assertThat(errors.awaitMessage().body()).contains("at most 20 characters");
			ada.send("/app/private", "{\"to\":\"nobody\",\"text\":\"hi\"}");
			assertThat(errors.awaitMessage().body()).contains("Nobody called 'nobody' is online");
			ada.send("/app/chat.Bad_Room", "{\"text\":\"hi\"}");
			assertThat(errors.awaitMessage().body()).contains("A room name is");
		}
	}

	@Test
	void connectWithoutAUsableNicknameIsRefusedWithAReason() throws Exception {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> connect("no spaces please").close())
			.withMessageContaining("the server sent ERROR")
			.withMessageContaining("Choose a nickname");
	}

	@Test
	void presenceAndRoomListFollowSessions() throws Exception {
		try (StompTestClient ada = connect("ada")) {
			Subscription presence = ada.subscribe("/topic/presence");
			Subscription rooms = ada.subscribe("/topic/rooms");
			assertThat(ada.subscribe("/app/presence").awaitMessage().body()).contains("\"online\":[\"ada\"]");
			StompTestClient bob = connect("bob");
			assertThat(presence.awaitMessageContaining("\"joined\":\"bob\"").body())
				.contains("\"online\":[\"ada\",\"bob\"]");
			bob.subscribe("/topic/chat.presence-room");
			assertThat(rooms.awaitMessageContaining("presence-room").body())
				.contains("{\"name\":\"presence-room\",\"people\":[\"bob\"]}")
				.contains("{\"name\":\"general\"");
			bob.close();
			assertThat(presence.awaitMessageContaining("\"left\":\"bob\"").body()).contains("\"online\":[\"ada\"]");
		}
	}

}
