package io.github.stompspringboot.autoconfigure;

import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the application stops accepting at once, lets frames in flight finish (within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}), then ends each client with an
 * ERROR.
 */
class GracefulShutdownTests {

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(StompBrokerAutoConfiguration.class)
	static class BrokerApplication {

	}

	private static ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(BrokerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0")
			.properties(properties)
			.run();
	}

	/**
	 * Half a SEND is on the wire when the application starts closing; the rest follows
	 * once the listener refuses new connections. The RECEIPT still comes, then the ERROR.
	 */
	@Test
	void receiptOfASendArrivingDuringShutdownComesBeforeTheError() throws Exception {
		ConfigurableApplicationContext context = run("spring.lifecycle.timeout-per-shutdown-phase=20s");
		int port = context.getEnvironment().getRequiredProperty("local.stomp.port", Integer.class);
		CompletableFuture<Void> closing = null;
		try (RawStompClient client = RawStompClient.connect(port, "1.2")) {
			byte[] frame = ("SEND\ndestination:/queue/late\nreceipt:late-send\n\n" + "x".repeat(10_000) + "\0")
				.getBytes(StandardCharsets.UTF_8);
			int half = frame.length / 2;
			client.send(Arrays.copyOfRange(frame, 0, half));
			closing = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
			client.send(Arrays.copyOfRange(frame, half, frame.length));

			Frame receipt = client.receive(Duration.ofSeconds(10));
			assertThat(receipt.command()).isEqualTo("RECEIPT");
			assertThat(receipt.header("receipt-id")).isEqualTo("late-send");
			Frame error = client.receive(Duration.ofSeconds(10));
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(error.header("message")).isEqualTo("Broker shutting down");
			assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
			closing.get();
		}
		finally {
			context.close();
		}
	}

	@Test
	void aClientThatNeverFinishesItsFrameIsClosedWhenTheShutdownPhaseTimesOut() throws Exception {
		ConfigurableApplicationContext context = run("spring.lifecycle.timeout-per-shutdown-phase=1s");
		int port = context.getEnvironment().getRequiredProperty("local.stomp.port", Integer.class);
		try (RawStompClient client = RawStompClient.connect(port, "1.2")) {
			client.send("SEND\ndestination:/queue/never\n\nhalf a bo");
			long start = System.nanoTime();
			context.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).as("bounded by the 1s phase timeout, not the 30s default")
				.isLessThan(Duration.ofSeconds(15));
			Frame error = client.receive(Duration.ofSeconds(5));
			assertThat(error.command()).isEqualTo("ERROR");
			assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
		finally {
			context.close();
		}
	}

	private static boolean refusesConnections(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			OutputStream out = socket.getOutputStream();
			out.flush();
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

}
