package io.github.stompspringboot.websocket;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import javax.net.ssl.KeyManagerFactory;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.support.BrowserStompClient;
import io.github.stompspringboot.support.BrowserStompClient.Subscription;
import io.github.stompspringboot.support.BrowserStompClient.Transport;
import io.github.stompspringboot.support.SelfSignedKeyStore;
import io.github.stompspringboot.transport.tcp.StompTcpServer;
import io.github.stompspringboot.websocket.app.BrowserTestApplication;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code stomp.broker.relay.ssl.bundle}: the relay reaches a broker that speaks only TLS,
 * trusting its certificate through a Spring Boot SSL bundle. The broker is this project's
 * own, with a certificate keytool makes for the test, listening only for TLS: a relay
 * without TLS gets nowhere.
 */
class RelayTlsTests {

	@TempDir
	Path directory;

	private SelfSignedKeyStore keyStore;

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private StompBroker broker;

	private StompTcpServer tlsServer;

	private ConfigurableApplicationContext app;

	@BeforeEach
	void startTlsOnlyBroker() throws Exception {
		this.keyStore = SelfSignedKeyStore.create(this.directory);
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(this.keyStore.keyStore())) {
			store.load(in, SelfSignedKeyStore.PASSWORD.toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, SelfSignedKeyStore.PASSWORD.toCharArray());
		this.broker = new StompBroker(new BrokerSettings(), this.scheduler, MessageStore.NONE,
				StompAuthenticator.PERMIT_ALL, StompAuthorizationPolicy.ALLOW_ALL);
		this.tlsServer = new StompTcpServer(this.broker, "127.0.0.1", 0, SslContextBuilder.forServer(keys).build());
		this.tlsServer.start();
	}

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
		this.tlsServer.stop();
		this.broker.shutdown();
		this.scheduler.shutdownNow();
	}

	private ConfigurableApplicationContext relay(String... more) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BrowserTestApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "stomp.broker.mode=relay",
					"stomp.broker.relay.addresses=127.0.0.1:" + this.tlsServer.port(),
					"spring.ssl.bundle.jks.broker.truststore.location=file:" + this.keyStore.keyStore(),
					"spring.ssl.bundle.jks.broker.truststore.password=" + SelfSignedKeyStore.PASSWORD,
					"spring.ssl.bundle.jks.broker.truststore.type=PKCS12", "spring.main.banner-mode=off")
			.properties(more);
		return builder.run();
	}

	@Test
	void relayReachesATlsOnlyBrokerThroughAnSslBundle() throws Exception {
		this.app = relay("stomp.broker.relay.ssl.bundle=broker");
		StompBrokerRelayMessageHandler relay = this.app.getBean(StompBrokerRelayMessageHandler.class);
		await().atMost(Duration.ofSeconds(15)).until(relay::isBrokerAvailable);
		int port = this.app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		try (BrowserStompClient alice = BrowserStompClient.connect(Transport.WEBSOCKET, port, "alice")) {
			Subscription news = alice.subscribe("/topic/news");
			this.app.getBean(SimpMessagingTemplate.class).convertAndSend("/topic/news", "over TLS");
			assertThat(news.next().body()).isEqualTo("over TLS");
		}
	}

}
