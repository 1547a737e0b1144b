package io.github.stompspringboot.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code stomp} actuator endpoint over HTTP, with real TCP clients making the state
 * it shows and feeling the changes it makes.
 */
@ExtendWith(OutputCaptureExtension.class)
class StompEndpointTests {

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void endpointListsATcpClientsConnectionAndTheMessagesItLeftThenPurgeEmptiesTheQueue(CapturedOutput output)
			throws Exception {
		try (OperationsApplication app = OperationsApplication.start();
				RawStompClient client = RawStompClient.connect(app.stompPort(), "1.2")) {
			for (int i = 1; i <= 3; i++) {
				client.sendWithReceipt("/queue/work", "job " + i);
			}
			client.subscribe("sub-1", "/topic/news", "auto");
			client.send("SUBSCRIBE\nid:sub-r\ndestination:/topic/news\nreceipt:r-sub\n\n\0");
			client.awaitReceipt("r-sub");

			JsonNode broker = this.json.readTree(app.getOk("/actuator/stomp"));
			JsonNode connection = only(broker.get("connections"), "transport", "tcp");
			assertThat(connection.get("remoteAddress").asString()).contains("127.0.0.1");
			assertThat(connection.get("version").asString()).isEqualTo("1.2");
			assertThat(connection.get("subscriptions")).hasSize(2);
			assertThat(connection.get("bytesReceived").asLong()).isPositive();
			assertThat(connection.get("bytesSent").asLong()).isPositive();
			JsonNode work = only(broker.get("destinations"), "name", "/queue/work");
			assertThat(work.get("kind").asString()).isEqualTo("queue");
			assertThat(work.get("depth").asInt()).isEqualTo(3);
			assertThat(work.get("enqueued").asLong()).isEqualTo(3);
			assertThat(work.get("consumers").asInt()).isZero();
			JsonNode news = only(broker.get("destinations"), "name", "/topic/news");
			assertThat(news.get("consumers").asInt()).isEqualTo(2);
			assertThat(broker.get("totals").get("messages").get("published").get("queue").asLong()).isEqualTo(3);

			JsonNode browsed = this.json.readTree(app.getOk("/actuator/stomp/messages?destination=/queue/work&max=2"));
			assertThat(browsed).hasSize(2);
			assertThat(browsed.get(0).get("body").asString()).isEqualTo("job 1");
			assertThat(browsed.get(1).get("body").asString()).isEqualTo("job 2");

			HttpResponse<String> purged = app.post("/actuator/stomp/purge", "{\"destination\":\"/queue/work\"}");
			assertThat(purged.statusCode()).isEqualTo(200);
			assertThat(this.json.readTree(purged.body()).get("purged").asInt()).isEqualTo(3);
			assertThat(output).contains("local user at 127.0.0.1 purged 3 message(s) from /queue/work");
			JsonNode destinations = this.json.readTree(app.getOk("/actuator/stomp/destinations"));
			assertThat(destinations.findValuesAsString("name")).doesNotContain("/queue/work");
		}
	}

	@Test
	void closingAConnectionSendsItsClientAnErrorWithTheReason(CapturedOutput output) throws Exception {
		try (OperationsApplication app = OperationsApplication.start();
				RawStompClient client = RawStompClient.connect(app.stompPort(), "1.2")) {
			String session = client.connected().header("session");
			HttpResponse<String> closed = app.post("/actuator/stomp/close",
					"{\"connection\":\"" + session + "\",\"reason\":\"Maintenance at noon\"}");
			assertThat(closed.statusCode()).isEqualTo(200);
			Frame error = client.expect("ERROR");
			assertThat(error.header("message")).isEqualTo("Connection closed by the broker's operator");
			assertThat(error.bodyText()).isEqualTo("Maintenance at noon");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			assertThat(output).contains("closed connection " + session);
			assertThat(app.post("/actuator/stomp/close", "{\"connection\":\"" + session + "\"}").statusCode())
				.isEqualTo(404);
		}
	}

	@Test
	void movingADeadLetterQueueBackDeliversItsMessagesToAConsumerOfTheOriginalQueue() throws Exception {
		try (OperationsApplication app = OperationsApplication.start("stomp.broker.delivery.max-redeliveries=0")) {
			try (RawStompClient consumer = RawStompClient.connect(app.stompPort(), "1.2")) {
				consumer.sendWithReceipt("/queue/jobs", "fragile");
				consumer.subscribe("s", "/queue/jobs", "client-individual");
				Frame message = consumer.expect("MESSAGE");
				consumer.send("NACK\nid:" + message.header("ack") + "\nreceipt:r-nack\n\n\0");
				consumer.awaitReceipt("r-nack");
			}
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(depth(app, "/queue/DLQ.jobs")).isEqualTo(1));

			HttpResponse<String> moved = app.post("/actuator/stomp/move-dead-letters",
					"{\"destination\":\"/queue/DLQ.jobs\"}");
			assertThat(moved.statusCode()).isEqualTo(200);
			assertThat(this.json.readTree(moved.body()).get("moved").asInt()).isEqualTo(1);
			try (RawStompClient again = RawStompClient.connect(app.stompPort(), "1.2")) {
				again.subscribe("s", "/queue/jobs", "auto");
				Frame redelivered = again.expect("MESSAGE");
				assertThat(redelivered.bodyText()).isEqualTo("fragile");
				assertThat(redelivered.header("dlq-original-destination")).isNull();
			}
			assertThat(depth(app, "/queue/DLQ.jobs")).isZero();
		}
	}

	@Test
	void deletingADestinationWithConsumersIsRefusedAndWithoutThemRemovesIt() throws Exception {
		try (OperationsApplication app = OperationsApplication.start();
				RawStompClient client = RawStompClient.connect(app.stompPort(), "1.2")) {
			client.send("SUBSCRIBE\nid:a\ndestination:/topic/alerts\nreceipt:r1\n\n\0");
			client.awaitReceipt("r1");
			HttpResponse<String> refused = app.post("/actuator/stomp/delete", "{\"destination\":\"/topic/alerts\"}");
			assertThat(refused.statusCode()).isEqualTo(409);
			assertThat(refused.body()).contains("has 1 consumer(s)");
			client.send("UNSUBSCRIBE\nid:a\nreceipt:r2\n\n\0");
			client.awaitReceipt("r2");
			assertThat(app.post("/actuator/stomp/delete", "{\"destination\":\"/topic/alerts\"}").statusCode())
				.isEqualTo(200);
			assertThat(this.json.readTree(app.getOk("/actuator/stomp/destinations")).findValuesAsString("name"))
				.doesNotContain("/topic/alerts");
		}
	}

	@Test
	void withAccessRulesOnlyAnAdminMayChangeTheBroker(CapturedOutput output) throws Exception {
		try (OperationsApplication app = OperationsApplication.start("stomp.broker.security.users[0].login=ops",
				"stomp.broker.security.users[0].password={noop}ops-pw",
				"stomp.broker.security.users[0].groups=operators", "stomp.broker.security.users[1].login=app",
				"stomp.broker.security.users[1].password={noop}app-pw", "stomp.broker.security.users[1].groups=apps",
				"stomp.broker.security.rules[0].actions=connect admin",
				"stomp.broker.security.rules[0].groups=operators",
				"stomp.broker.security.rules[1].actions=connect send receive create",
				"stomp.broker.security.rules[1].groups=apps", "stomp.broker.security.login-failure.delay=0s")) {
			String purge = "{\"destination\":\"/queue/x\"}";
			assertThat(app.post("/actuator/stomp/purge", purge).statusCode()).isEqualTo(401);
			assertThat(app.post("/actuator/stomp/purge", purge, "ops", "wrong").statusCode()).isEqualTo(401);
			HttpResponse<String> notAdmin = app.post("/actuator/stomp/purge", purge, "app", "app-pw");
			assertThat(notAdmin.statusCode()).isEqualTo(403);
			assertThat(notAdmin.body()).contains("lacks the admin permission");
			try (RawStompClient client = RawStompClient.connect(app.stompPort(), "1.2",
					"login:app\npasscode:app-pw\n")) {
				client.sendWithReceipt("/queue/x", "one");
			}
			HttpResponse<String> admin = app.post("/actuator/stomp/purge", purge, "ops", "ops-pw");
			assertThat(admin.statusCode()).isEqualTo(200);
			assertThat(admin.body()).contains("\"purged\":1");
			assertThat(output).contains("ops purged 1 message(s) from /queue/x");
		}
	}

	private int depth(OperationsApplication app, String name) throws Exception {
		for (JsonNode destination : this.json.readTree(app.getOk("/actuator/stomp/destinations"))) {
			if (destination.get("name").asString().equals(name)) {
				return destination.get("depth").asInt();
			}
		}
		return 0;
	}

	private static JsonNode only(JsonNode array, String field, String value) {
		List<JsonNode> matches = new java.util.ArrayList<>();
		for (JsonNode node : array) {
			if (value.equals(node.get(field).asString())) {
				matches.add(node);
			}
		}
		assertThat(matches).as("%s=%s in %s", field, value, array).hasSize(1);
		return matches.get(0);
	}

}
