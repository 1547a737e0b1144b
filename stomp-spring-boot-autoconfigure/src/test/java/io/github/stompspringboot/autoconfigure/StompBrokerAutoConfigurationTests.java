package io.github.stompspringboot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.DestinationType;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.transport.tcp.StompTcpServer;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which beans {@link StompBrokerAutoConfiguration} contributes, and how
 * {@code stomp.broker.*} reaches the engine. Every context listens on a free loopback
 * port, never on 61613.
 */
class StompBrokerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(StompBrokerAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1");

	@Test
	void brokerAndRunningTcpServerByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(StompBroker.class)
				.hasSingleBean(StompTcpServer.class)
				.hasSingleBean(StompTcpServerLifecycle.class)
				.hasSingleBean(StompBrokerProperties.class)
				.hasBean("stompBrokerScheduler");
			StompTcpServer server = context.getBean(StompTcpServer.class);
			assertThat(server.isRunning()).isTrue();
			assertThat(context.getEnvironment().getProperty("local.stomp.port", Integer.class))
				.isEqualTo(server.port());
		});
	}

	@Test
	void defaultsMatchTheDocumentedOnes() {
		this.contextRunner.run((context) -> {
			BrokerSettings settings = context.getBean(StompBroker.class).settings();
			BrokerSettings engineDefaults = new BrokerSettings();
			assertThat(settings).usingRecursiveComparison().isEqualTo(engineDefaults);
			StompBrokerProperties properties = context.getBean(StompBrokerProperties.class);
			assertThat(new StompBrokerProperties().getTcp().getPort()).isEqualTo(61613);
			assertThat(properties.getTcp().getPort()).isZero();
		});
	}

	@Test
	void frameSizeLimitOverTwoGigabytesFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("stomp.broker.limits.max-frame-size=3GB").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("'stomp.broker.limits.max-frame-size' is 3221225472B")
				.hasMessageContaining("between 0 and 2GB");
		});
	}

	@Test
	void brokerDisabledContributesNothing() {
		this.contextRunner.withPropertyValues("stomp.broker.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(StompBroker.class)
				.doesNotHaveBean(StompTcpServer.class)
				.doesNotHaveBean(StompTcpServerLifecycle.class)
				.doesNotHaveBean(StompBrokerProperties.class)
				.doesNotHaveBean("stompBrokerScheduler");
			assertThat(context.getEnvironment().containsProperty("local.stomp.port")).isFalse();
		});
	}

	@Test
	void tcpDisabledKeepsTheEngineWithoutAListener() {
		this.contextRunner.withPropertyValues("stomp.broker.tcp.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(StompBroker.class)
				.doesNotHaveBean(StompTcpServer.class)
				.doesNotHaveBean(StompTcpServerLifecycle.class);
			assertThat(context.getEnvironment().containsProperty("local.stomp.port")).isFalse();
		});
	}

	@Test
	void withoutNettyTheEngineRunsAlone() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Channel.class)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(StompBroker.class).doesNotHaveBean(StompTcpServer.class);
		});
	}

	@Test
	void userDefinedBrokerWinsAndTheTcpServerServesIt() {
		this.contextRunner.withUserConfiguration(UserBrokerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(StompBroker.class).hasBean("userBroker");
			StompBroker broker = context.getBean(StompBroker.class);
			assertThat(broker.settings().getServerName()).isEqualTo("user-broker/1.0");
			int port = context.getEnvironment().getProperty("local.stomp.port", Integer.class);
			try (RawStompClient client = new RawStompClient(port)) {
				client.send("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0");
				Frame connected = client.receive();
				assertThat(connected.command()).isEqualTo("CONNECTED");
				assertThat(connected.header("server")).isEqualTo("user-broker/1.0");
			}
		});
	}

	@Test
	void propertiesBindIntoTheEngineSettings() {
		this.contextRunner
			.withPropertyValues("stomp.broker.server-name=acme-broker", "stomp.broker.connect-timeout=250ms",
					"stomp.broker.heartbeat.send=2s", "stomp.broker.heartbeat.receive=1500",
					"stomp.broker.heartbeat.grace-factor=2.5", "stomp.broker.limits.max-frame-size=512KB",
					"stomp.broker.limits.max-headers=12", "stomp.broker.limits.max-header-length=1KB",
					"stomp.broker.limits.max-subscriptions-per-connection=7", "stomp.broker.limits.max-connections=3",
					"stomp.broker.limits.max-pending-bytes-per-connection=2MB",
					"stomp.broker.destinations.queue-prefixes=/queue/,/amq/queue/",
					"stomp.broker.destinations.topic-prefixes[0]=/exchange/",
					"stomp.broker.destinations.default-type=topic")
			.run((context) -> {
				BrokerSettings settings = context.getBean(StompBroker.class).settings();
				assertThat(settings.getServerName()).isEqualTo("acme-broker");
				assertThat(settings.getConnectTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(settings.getHeartbeatSend()).isEqualTo(Duration.ofSeconds(2));
				// a bare number of a Duration is milliseconds
				assertThat(settings.getHeartbeatReceive()).isEqualTo(Duration.ofMillis(1500));
				assertThat(settings.getHeartbeatGraceFactor()).isEqualTo(2.5);
				assertThat(settings.getMaxFrameSize()).isEqualTo(512 * 1024);
				assertThat(settings.getMaxHeaders()).isEqualTo(12);
				assertThat(settings.getMaxHeaderLength()).isEqualTo(1024);
				assertThat(settings.getMaxSubscriptionsPerConnection()).isEqualTo(7);
				assertThat(settings.getMaxConnections()).isEqualTo(3);
				assertThat(settings.getMaxPendingBytesPerConnection()).isEqualTo(2 * 1024 * 1024);
				assertThat(settings.getQueuePrefixes()).containsExactly("/queue/", "/amq/queue/");
				assertThat(settings.getTopicPrefixes()).containsExactly("/exchange/");
				assertThat(settings.getDefaultDestinationType()).isEqualTo(DestinationType.TOPIC);
			});
	}

	@Test
	void bareNumberOfADataSizeIsBytes() {
		this.contextRunner.withPropertyValues("stomp.broker.limits.max-frame-size=1000").run((context) -> {
			assertThat(context.getBean(StompBroker.class).settings().getMaxFrameSize()).isEqualTo(1000);
		});
	}

	@Test
	void boundLimitIsEnforcedOnTheWire() {
		this.contextRunner.withPropertyValues("stomp.broker.limits.max-frame-size=1KB").run((context) -> {
			int port = context.getEnvironment().getProperty("local.stomp.port", Integer.class);
			try (RawStompClient client = RawStompClient.connect(port, "1.2")) {
				client.send("SEND\ndestination:/queue/big\n\n" + "x".repeat(1025) + "\0");
				Frame error = client.receive();
				assertThat(error.command()).isEqualTo("ERROR");
				assertThat(error.header("message")).isNotBlank();
				assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBrokerConfiguration {

		@Bean
		StompBroker userBroker(
				@Qualifier(StompBrokerAutoConfiguration.SCHEDULER_BEAN_NAME) ScheduledThreadPoolExecutor stompBrokerScheduler) {
			return new StompBroker(
					new BrokerSettings().setServerName("user-broker/1.0").setQueuePrefixes(List.of("/queue/")),
					stompBrokerScheduler);
		}

	}

}
