package io.github.stompspringboot.actuate;

import java.nio.file.Path;
import java.time.Duration;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker's meters as Prometheus scrapes them from {@code /actuator/prometheus}, and
 * its {@code stomp} health, with real TCP clients doing the work that moves the numbers.
 */
class StompMetricsAndHealthTests {

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void prometheusShowsConnectionsFramesMessagesAndQueueDepthOfTcpClients() throws Exception {
		try (OperationsApplication app = OperationsApplication.start()) {
			try (RawStompClient producer = RawStompClient.connect(app.stompPort(), "1.2");
					RawStompClient consumer = RawStompClient.connect(app.stompPort(), "1.1")) {
				for (int i = 0; i < 4; i++) {
					producer.sendWithReceipt("/queue/orders", "order " + i);
				}
				producer.sendWithReceipt("/topic/prices", "nobody listens");
				consumer
					.send("SUBSCRIBE\nid:s\ndestination:/queue/orders\nack:client-individual\nprefetch-count:1\n\n\0");
				Frame first = consumer.expect("MESSAGE");
				consumer.send("NACK\nmessage-id:" + first.header("message-id") + "\nsubscription:s\n\n\0");
				Frame again = consumer.expect("MESSAGE");
				assertThat(again.header("message-id")).isEqualTo(first.header("message-id"));
				consumer
					.send("ACK\nmessage-id:" + again.header("message-id") + "\nsubscription:s\nreceipt:r-ack\n\n\0");
				consumer.awaitReceipt("r-ack");
				// the prefetch window of 1 lets the next one out, un-acked
				consumer.expect("MESSAGE");

				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
					String scrape = app.getOk("/actuator/prometheus");
					assertThat(scrape).contains("stomp_broker_connections{transport=\"tcp\"} 2.0")
						.contains("stomp_broker_connections_opened_total{transport=\"tcp\"} 2.0")
						.contains("stomp_broker_frames_received_total{command=\"SEND\"} 5.0")
						.contains("stomp_broker_frames_received_total{command=\"NACK\"} 1.0")
						.contains("stomp_broker_messages_published_total{kind=\"queue\"} 4.0")
						.contains("stomp_broker_messages_published_total{kind=\"topic\"} 1.0")
						.contains("stomp_broker_messages_delivered_total{kind=\"queue\"} 3.0")
						.contains("stomp_broker_messages_nacked_total{kind=\"queue\"} 1.0")
						.contains("stomp_broker_messages_redelivered_total{kind=\"queue\"} 1.0")
						.contains("stomp_broker_messages_acknowledged_total{kind=\"queue\"} 1.0")
						.contains("stomp_broker_destination_depth{destination=\"/queue/orders\",kind=\"queue\"} 2.0")
						.contains(
								"stomp_broker_destination_consumers{destination=\"/queue/orders\",kind=\"queue\"} 1.0")
						.contains("stomp_broker_destination_unacked{destination=\"/queue/orders\",kind=\"queue\"} 1.0");
					assertThat(counter(scrape, "stomp_broker_bytes_received_bytes_total")).isPositive();
					assertThat(counter(scrape, "stomp_broker_bytes_sent_bytes_total")).isPositive();
				});
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				String scrape = app.getOk("/actuator/prometheus");
				assertThat(scrape).contains("stomp_broker_connections{transport=\"tcp\"} 0.0")
					.contains("stomp_broker_connections_closed_total{transport=\"tcp\"} 2.0");
			});
		}
	}

	@Test
	void errorsAndFailedLoginsAreCountedByReason() throws Exception {
		try (OperationsApplication app = OperationsApplication.start("stomp.broker.security.users[0].login=u",
				"stomp.broker.security.users[0].password={noop}pw", "stomp.broker.security.login-failure.delay=0s")) {
			try (RawStompClient wrong = new RawStompClient(app.stompPort())) {
				wrong.send("CONNECT\naccept-version:1.2\nhost:h\nlogin:u\npasscode:nope\n\n\0");
				assertThat(wrong.expect("ERROR").header("message")).isEqualTo("access refused");
			}
			try (RawStompClient client = RawStompClient.connect(app.stompPort(), "1.2", "login:u\npasscode:pw\n")) {
				client.send("SUBSCRIBE\nid:1\ndestination:/queue/a\nack:sometimes\n\n\0");
				assertThat(client.expect("ERROR").header("message")).isEqualTo("Invalid ack mode 'sometimes'");
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				String scrape = app.getOk("/actuator/prometheus");
				assertThat(scrape).contains("stomp_broker_logins_failed_total 1.0")
					.contains("stomp_broker_connections_refused_total{reason=\"authentication\"} 1.0")
					.contains("stomp_broker_errors_total{reason=\"access-refused\"} 1.0")
					.contains("stomp_broker_errors_total{reason=\"invalid-ack-mode\"} 1.0");
			});
		}
	}

	@Test
	void destinationsPastTheCapAreSummedUnderOther() throws Exception {
		try (OperationsApplication app = OperationsApplication.start("stomp.metrics.max-destinations=2");
				RawStompClient producer = RawStompClient.connect(app.stompPort(), "1.2")) {
			producer.sendWithReceipt("/queue/a", "1");
			producer.sendWithReceipt("/queue/b", "1");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(app.getOk("/actuator/prometheus"))
					.contains("stomp_broker_destination_depth{destination=\"/queue/a\",kind=\"queue\"} 1.0")
					.contains("stomp_broker_destination_depth{destination=\"/queue/b\",kind=\"queue\"} 1.0"));
			producer.sendWithReceipt("/queue/c", "1");
			producer.sendWithReceipt("/queue/d", "1");
			producer.sendWithReceipt("/queue/d", "2");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				String scrape = app.getOk("/actuator/prometheus");
				assertThat(scrape).contains("stomp_broker_destination_depth{destination=\"other\",kind=\"other\"} 3.0")
					.contains("stomp_broker_destination_depth{destination=\"/queue/a\",kind=\"queue\"} 1.0")
					.doesNotContain("destination=\"/queue/c\"")
					.doesNotContain("destination=\"/queue/d\"");
			});
		}
	}

	@Test
	void healthIsUpWithListenerAndStoreDetailsAndDownOnceTheListenerCloses(@TempDir Path store) throws Exception {
		try (OperationsApplication app = OperationsApplication.start("stomp.broker.store.path=" + store);
				RawStompClient client = RawStompClient.connect(app.stompPort(), "1.2")) {
			client.send("SEND\ndestination:/queue/kept\npersistent:true\nreceipt:r\n\nsafe\0");
			client.awaitReceipt("r");
			JsonNode stomp = this.json.readTree(app.getOk("/actuator/health")).get("components").get("stomp");
			assertThat(stomp.get("status").asString()).isEqualTo("UP");
			JsonNode details = stomp.get("details");
			assertThat(details.get("connections").get("tcp").asInt()).isEqualTo(1);
			assertThat(details.get("listeners").get("tcp").get("bound").asBoolean()).isTrue();
			assertThat(details.get("listeners").get("tcp").get("port").asInt()).isEqualTo(app.stompPort());
			assertThat(details.get("store").get("durable").asBoolean()).isTrue();
			assertThat(details.get("store").get("location").asString()).startsWith(store.toString());
			assertThat(details.get("store").get("sizeBytes").asLong()).isPositive();
			String scrape = app.getOk("/actuator/prometheus");
			assertThat(scrape).containsPattern("stomp_broker_store_writes_seconds_count 1(\\.0)?\\n");
			assertThat(counter(scrape, "stomp_broker_store_size_bytes")).isPositive();

			ConfigurableApplicationContext context = app.context();
			context.getBean("stompTcpServerLifecycle", org.springframework.context.SmartLifecycle.class).stop();
			JsonNode down = this.json.readTree(app.get("/actuator/health").body()).get("components").get("stomp");
			assertThat(down.get("status").asString()).isEqualTo("DOWN");
			assertThat(down.get("details").get("listeners").get("tcp").get("bound").asBoolean()).isFalse();
		}
	}

	private static double counter(String scrape, String name) {
		for (String line : scrape.split("\n")) {
			if (line.startsWith(name + " ")) {
				return Double.parseDouble(line.substring(name.length() + 1).trim());
			}
		}
		throw new AssertionError(name + " not in the scrape");
	}

}
