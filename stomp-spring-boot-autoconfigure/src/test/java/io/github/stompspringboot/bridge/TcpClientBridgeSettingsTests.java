package io.github.stompspringboot.bridge;

import java.util.concurrent.CountDownLatch;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.autoconfigure.StompWebSocketAutoConfiguration;
import io.github.stompspringboot.bridge.app.TcpBridgeTestApplication;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code stomp.websocket.tcp-clients.*} properties: the bridge's switch, the switch
 * for the application's interceptors on broker frames, and the limit on frames waiting
 * for the application's handlers.
 */
class TcpClientBridgeSettingsTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(StompBrokerAutoConfiguration.class, StompWebSocketAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1");

	@Test
	void embeddedBrokerGetsTheBridge() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(TcpClientBridge.class).hasSingleBean(TcpClientExceptionAdvice.class);
			assertThat(context.getBean(TcpClientBridge.class).isRunning()).isTrue();
		});
	}

	@Test
	void turnedOffTheBridgeIsNotThere() {
		this.runner.withPropertyValues("stomp.websocket.tcp-clients.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(StompBroker.class)
				.doesNotHaveBean(TcpClientBridge.class)
				.doesNotHaveBean(TcpClientExceptionAdvice.class));
	}

	@Test
	void relayModeHasNoEmbeddedBrokerAndSoNoBridge() {
		this.runner.withPropertyValues("stomp.broker.mode=relay")
			.run((context) -> assertThat(context).doesNotHaveBean(StompBroker.class)
				.doesNotHaveBean(TcpClientBridge.class));
	}

	@Nested
	@DirtiesContext
	@SpringBootTest(classes = TcpBridgeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
					"stomp.websocket.tcp-clients.inbound-interceptors=false",
					"stomp.websocket.tcp-clients.max-pending-frames=2" })
	class WithInterceptorsOffAndTwoPendingFrames {

		@Value("${local.stomp.port}")
		private int stompPort;

		private final CountDownLatch gate = new CountDownLatch(1);

		@AfterEach
		void openGate() {
			this.gate.countDown();
		}

		@Test
		void brokerFramesPassWithoutTheApplicationsInterceptorsButApplicationFramesDoNot() throws Exception {
			try (RawStompClient client = RawStompClient.connect(this.stompPort, "1.2", "login:otto\n")) {
				client.send("SEND\ndestination:/topic/free\nforbidden:true\nreceipt:b\n\n\0");
				client.awaitReceipt("b");
				client.send("SEND\ndestination:/app/whoami\nforbidden:true\nreceipt:a\n\n\0");
				Frame error = client.expect("ERROR");
				assertThat(error.header("message")).isEqualTo("Refused by the application");
				assertThat(error.bodyText()).isEqualTo("Forbidden by the test interceptor");
			}
		}

		@Test
		void oneFrameMoreThanMayWaitForTheHandlersEndsTheSession() throws Exception {
			TcpBridgeTestApplication.slowGate.set(this.gate);
			try (RawStompClient client = RawStompClient.connect(this.stompPort, "1.2", "login:pia\n")) {
				// the first is in the handler, the second waits: two in all
				client.send("SEND\ndestination:/app/slow\n\none\0");
				client.send("SEND\ndestination:/app/slow\n\ntwo\0");
				client.send("SEND\ndestination:/app/slow\nreceipt:three\n\nthree\0");
				Frame error = client.expect("ERROR");
				assertThat(error.header("message")).isEqualTo("Too many frames waiting for the application");
				assertThat(error.bodyText()).contains("stomp.websocket.tcp-clients.max-pending-frames");
				assertThat(error.header("receipt-id")).isEqualTo("three");
			}
		}

	}

}
