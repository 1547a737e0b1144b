package io.github.stompspringboot.demo.chat;

import java.util.concurrent.BlockingQueue;

import io.github.stompspringboot.demo.chat.support.StompTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's destinations as the page uses them, through Spring's STOMP client over SockJS:
 * no browser needed, so these run everywhere.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
				"chat.history-size=3", "chat.max-message-length=20" })
class ChatStompTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Test
	void roomMessageCarriesTheSendersNicknameAndTheServersTime() throws Exception {
		try (StompTestClient ada = StompTestClient.connect(this.port, "ada")) {
			BlockingQueue<String> room = ada.subscribe("/topic/chat.stamps");
			ada.send("/app/chat.stamps", "{\"text\":\"  hello  \",\"nickname\":\"not-ada\"}");
			JsonNode message = json.readTree(StompTestClient.next(room));
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
		try (StompTestClient ada = StompTestClient.connect(this.port, "ada")) {
			BlockingQueue<String> room = ada.subscribe("/topic/chat.late");
			for (String text : new String[] { "one", "two", "three", "four" }) {
				ada.send("/app/chat.late", "{\"text\":\"" + text + "\"}");
				StompTestClient.next(room, text);
			}
			try (StompTestClient bob = StompTestClient.connect(this.port, "bob")) {
				JsonNode history = json.readTree(StompTestClient.next(bob.subscribe("/app/history.late")));
				assertThat(history.valueStream().map((message) -> message.get("text").asString()))
					.containsExactly("two", "three", "four");
			}
		}
	}

	@Test
	void privateMessageReachesTheAddresseeAndTheSenderOnly() throws Exception {
		try (StompTestClient ada = StompTestClient.connect(this.port, "ada");
				StompTestClient bob = StompTestClient.connect(this.port, "bob");
				StompTestClient eve = StompTestClient.connect(this.port, "eve")) {
			BlockingQueue<String> adaPrivate = ada.subscribe("/user/queue/private");
			BlockingQueue<String> bobPrivate = bob.subscribe("/user/queue/private");
			BlockingQueue<String> evePrivate = eve.subscribe("/user/queue/private");
			ada.send("/app/private", "{\"to\":\"bob\",\"text\":\"psst\"}");
			JsonNode received = json.readTree(StompTestClient.next(bobPrivate));
			assertThat(received.get("nickname").asString()).isEqualTo("ada");
			assertThat(received.get("to").asString()).isEqualTo("bob");
			assertThat(received.get("type").asString()).isEqualTo("private");
			assertThat(StompTestClient.next(adaPrivate)).contains("psst");
			// a later message to eve comes after the first on her connection, had it been misrouted
			bob.send("/app/private", "{\"to\":\"eve\",\"text\":\"marker\"}");
			assertThat(StompTestClient.next(evePrivate)).contains("marker").doesNotContain("psst");
		}
	}

	@Test
	void refusalsGoToTheSendersErrorQueueWithAReason() throws Exception {
		try (StompTestClient ada = StompTestClient.connect(this.port, "ada")) {
			BlockingQueue<String> errors = ada.subscribe("/user/queue/errors");
			ada.send("/app/chat.general", "{\"text\":\"this message is far too long for the limit\"}");
			assertThat(StompTestClient.next(errors)).contains("at most 20 characters");
			ada.send("/app/private", "{\"to\":\"nobody\",\"text\":\"hi\"}");
			assertThat(StompTestClient.next(errors)).contains("Nobody called 'nobody' is online");
			ada.send("/app/chat.Bad_Room", "{\"text\":\"hi\"}");
			assertThat(StompTestClient.next(errors)).contains("A room name is");
		}
	}

	@Test
	void connectWithoutAUsableNicknameIsRefusedWithAReason() throws Exception {
		StompHeaders error = StompTestClient.refused(this.port, "no spaces please");
		assertThat(error.getFirst("message")).contains("Choose a nickname");
	}

	@Test
	void presenceAndRoomListFollowSessions() throws Exception {
		try (StompTestClient ada = StompTestClient.connect(this.port, "ada")) {
			BlockingQueue<String> presence = ada.subscribe("/topic/presence");
			BlockingQueue<String> rooms = ada.subscribe("/topic/rooms");
			assertThat(StompTestClient.next(ada.subscribe("/app/presence"))).contains("\"online\":[\"ada\"]");
			StompTestClient bob = StompTestClient.connect(this.port, "bob");
			assertThat(StompTestClient.next(presence, "\"joined\":\"bob\"")).contains("\"online\":[\"ada\",\"bob\"]");
			bob.subscribe("/topic/chat.presence-room");
			assertThat(StompTestClient.next(rooms, "presence-room"))
				.contains("{\"name\":\"presence-room\",\"people\":[\"bob\"]}")
				.contains("{\"name\":\"general\"");
			bob.close();
			assertThat(StompTestClient.next(presence, "\"left\":\"bob\"")).contains("\"online\":[\"ada\"]");
		}
	}

}
