package io.github.stompspringboot.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.transport.tcp.StompPortInUseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The broker as a Spring Boot application starts it: {@code SpringApplication.run}, the
 * TCP listener's lifecycle, the port it publishes, and the report when its port is taken.
 */
@ExtendWith(OutputCaptureExtension.class)
class StompBrokerApplicationTests {

	/** What a user's application amounts to for the broker: its auto-configuration. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(StompBrokerAutoConfiguration.class)
	static class BrokerApplication {

	}

	static ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(BrokerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "stomp.broker.tcp.host=127.0.0.1")
			.properties(properties)
			.run();
	}

	@Test
	void portZeroPicksAFreePortPublishedAsLocalStompPort() throws Exception {
		try (ConfigurableApplicationContext context = run("stomp.broker.tcp.port=0",
				"stomp.broker.server-name=boot-app")) {
			Integer port = context.getEnvironment().getProperty("local.stomp.port", Integer.class);
			assertThat(port).isNotNull().isPositive().isNotEqualTo(61613);
			try (RawStompClient client = new RawStompClient(port)) {
				client.send("CONNECT\naccept-version:1.0,1.1,1.2\nhost:localhost\n\n\0");
				Frame connected = client.receive();
				assertThat(connected.command()).isEqualTo("CONNECTED");
				assertThat(connected.header("version")).isEqualTo("1.2");
				assertThat(connected.header("server")).isEqualTo("boot-app");
			}
		}
	}

	@Test
	void closingTheApplicationTellsConnectedClientsAndClosesThem() throws Exception {
		ConfigurableApplicationContext context = run("stomp.broker.tcp.port=0");
		int port = context.getEnvironment().getProperty("local.stomp.port", Integer.class);
		try (RawStompClient client = RawStompClient.connect(port, "1.2")) {
			context.close();
			Frame error = client.receive();
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).isEqualTo("Broker shutting down");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		finally {
			context.close();
		}
	}

	@Test
	void portInUseFailsStartupWithAReportNamingThePortAndTheProperty(CapturedOutput output) throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int port = taken.getLocalPort();
			assertThatException().isThrownBy(() -> run("stomp.broker.tcp.port=" + port).close())
				.satisfies((ex) -> assertThat(ex).hasRootCauseInstanceOf(java.net.BindException.class))
				.satisfies((ex) -> assertThat(causeOfType(ex, StompPortInUseException.class)).isNotNull()
					.extracting(StompPortInUseException::getPort)
					.isEqualTo(port));
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("The embedded STOMP broker's TCP listener could not listen on 127.0.0.1:" + port)
				.contains("Stop the process that listens on port " + port)
				.contains("'stomp.broker.tcp.port'")
				.contains("'stomp.broker.tcp.enabled=false'");
		}
	}

	private static <T extends Throwable> T causeOfType(Throwable ex, Class<T> type) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

}
