package io.github.stompspringboot.demo.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.github.stompspringboot.test.StompTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person running the demo sees of the broker with zero configuration: its health,
 * the stomp endpoint, the Prometheus meters and the admin page, all on localhost.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1" })
class OperationsTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void healthShowsTheBrokerUpWithItsListener() throws Exception {
		JsonNode stomp = json.readTree(get("/actuator/health").body()).get("components").get("stomp");
		assertThat(stomp.get("status").asString()).isEqualTo("UP");
		assertThat(stomp.get("details").get("listeners").get("tcp").get("bound").asBoolean()).isTrue();
	}

	@Test
	void prometheusEndpointAndAdminPageAnswerOnLocalhost() throws Exception {
		try (StompTestClient ada = StompTestClient.webSocket("ws://127.0.0.1:" + this.port + "/stomp")
			.connect(Map.of("nickname", "ada"))) {
			HttpResponse<String> scrape = get("/actuator/prometheus");
			assertThat(scrape.statusCode()).isEqualTo(200);
			assertThat(scrape.body()).contains("stomp_broker_connections{transport=\"websocket\"} 1.0");
			HttpResponse<String> broker = get("/actuator/stomp");
			assertThat(broker.statusCode()).isEqualTo(200);
			assertThat(json.readTree(broker.body()).get("connections").findValuesAsString("user")).contains("ada");
			HttpResponse<String> page = get("/stomp-admin/");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains("<title>STOMP broker</title>");
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
