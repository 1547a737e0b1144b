package io.github.stompspringboot.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A web application with the broker, Actuator and the Prometheus registry, on free
 * loopback ports, as a user's application would run them; and a small HTTP client for its
 * endpoints.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class OperationsApplication implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private OperationsApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	OperationsApplication() {
		this.context = null;
	}

	static OperationsApplication start(String... properties) {
		return new OperationsApplication(
				new SpringApplicationBuilder(OperationsApplication.class).web(WebApplicationType.SERVLET)
					.properties("spring.main.banner-mode=off", "server.port=0", "server.address=127.0.0.1",
							"stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0",
							"management.endpoints.web.exposure.include=health,stomp,prometheus",
							"management.endpoint.health.show-details=always", "stomp.metrics.refresh-interval=100ms")
					.properties(properties)
					.run());
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	int stompPort() {
		return this.context.getEnvironment().getProperty("local.stomp.port", Integer.class);
	}

	int httpPort() {
		return this.context.getEnvironment().getProperty("local.server.port", Integer.class);
	}

	String url(String path) {
		return "http://127.0.0.1:" + httpPort() + path;
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	String getOk(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		if (response.statusCode() != 200) {
			throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	HttpResponse<String> post(String path, String json, String login, String password)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (login != null) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return post(path, json, null, null);
	}

	@Override
	public void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

}
