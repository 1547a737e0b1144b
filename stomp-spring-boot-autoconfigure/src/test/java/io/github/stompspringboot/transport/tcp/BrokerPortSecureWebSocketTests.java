package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.support.LargeFrameBrowser;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.SelfSignedKeyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * wss:// on the broker's TLS port, from a Spring Boot SSL bundle: the same WebSocket
 * detection behind TLS, in an application without a servlet container.
 */
class BrokerPortSecureWebSocketTests {

	@TempDir
	static Path directory;

	private static SelfSignedKeyStore keyStore;

	@BeforeAll
	static void createKeyStore() throws Exception {
		try {
			keyStore = SelfSignedKeyStore.create(directory);
		}
		catch (java.io.IOException ex) {
			assumeTrue(false, "keytool not available: " + ex.getMessage());
		}
	}

	@Test
	void browserOverWssReachesATcpClientOnThePlainPort() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, StompBrokerAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.jks.stomp.keystore.location=file:" + keyStore.keyStore(),
					"spring.ssl.bundle.jks.stomp.keystore.password=" + SelfSignedKeyStore.PASSWORD,
					"spring.ssl.bundle.jks.stomp.keystore.type=PKCS12", "stomp.broker.tcp.host=127.0.0.1",
					"stomp.broker.tcp.port=0", "stomp.broker.tcp.ssl.bundle=stomp", "stomp.broker.tcp.ssl.port=0")
			.run((context) -> {
				int plainPort = context.getEnvironment().getRequiredProperty("local.stomp.port", Integer.class);
				int tlsPort = context.getEnvironment().getRequiredProperty("local.stomp.ssl.port", Integer.class);
				try (RawStompClient telnet = RawStompClient.connect(plainPort, "1.2");
						LargeFrameBrowser browser = LargeFrameBrowser.connectSecure(tlsPort,
								keyStore.clientContext())) {
					BlockingQueue<byte[]> alerts = browser.subscribe("/topic/alerts");
					telnet.send("SEND\ndestination:/topic/alerts\nreceipt:sent\n\nover wss\0");
					assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
					assertThat(alerts.poll(10, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8)
						.isEqualTo("over wss");
				}
			});
	}

}
