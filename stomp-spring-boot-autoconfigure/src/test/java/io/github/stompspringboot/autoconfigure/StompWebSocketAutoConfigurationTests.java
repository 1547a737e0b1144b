package io.github.stompspringboot.autoconfigure;

import java.net.InetSocketAddress;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.transport.injvm.InJvmTcpClient;
import io.github.stompspringboot.transport.relay.FailoverTcpClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.tcp.TcpOperations;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * When the WebSocket side of the starter applies, and what it backs off from.
 */
class StompWebSocketAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(StompBrokerAutoConfiguration.class, StompWebSocketAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1");

	@Test
	void servletAppGetsTheRelayOnTheInJvmClientAndNoSimpleBroker() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(StompBroker.class)
				.hasSingleBean(InJvmTcpClient.class)
				.hasSingleBean(StompBrokerRelayMessageHandler.class)
				.doesNotHaveBean(SimpleBrokerMessageHandler.class);
			StompBrokerRelayMessageHandler relay = context.getBean(StompBrokerRelayMessageHandler.class);
			assertThat(relay.getTcpClient()).isSameAs(context.getBean(InJvmTcpClient.class));
			assertThat(relay.getDestinationPrefixes()).containsExactlyInAnyOrder("/topic/", "/queue/");
			assertThat(relay.getSystemHeartbeatSendInterval()).isZero();
			assertThat(relay.getSystemHeartbeatReceiveInterval()).isZero();
		});
	}

	@Test
	void endpointServesPlainWebSocketAtItsPathAndSockJsBelowIt() {
		this.runner
			.run((context) -> assertThat(endpointPaths(context)).containsExactlyInAnyOrder("/stomp", "/stomp/**"));
	}

	@Test
	void endpointPathAndSockJsFollowProperties() {
		this.runner.withPropertyValues("stomp.websocket.endpoint=/ws", "stomp.websocket.sockjs.enabled=false")
			.run((context) -> assertThat(endpointPaths(context)).containsExactly("/ws"));
	}

	private static java.util.Set<String> endpointPaths(org.springframework.context.ApplicationContext context) {
		return context
			.getBean("stompWebSocketHandlerMapping",
					org.springframework.web.servlet.handler.AbstractUrlHandlerMapping.class)
			.getHandlerMap()
			.keySet();
	}

	@Test
	void brokerDestinationsFollowTheBrokersPrefixes() {
		this.runner
			.withPropertyValues("stomp.broker.destinations.queue-prefixes=/jobs/",
					"stomp.broker.destinations.topic-prefixes=/events/,/news/")
			.run((context) -> assertThat(context.getBean(StompBrokerRelayMessageHandler.class).getDestinationPrefixes())
				.containsExactlyInAnyOrder("/jobs/", "/events/", "/news/"));
	}

	@Test
	void withoutSpringWebSocketOnlyTheTcpBrokerRuns() {
		this.runner.withClassLoader(new FilteredClassLoader(WebSocketMessageBrokerConfigurer.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(StompBroker.class)
				.doesNotHaveBean(InJvmTcpClient.class)
				.doesNotHaveBean(StompBrokerRelayMessageHandler.class));
	}

	@Test
	void nonWebApplicationGetsOnlyTheTcpBroker() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(StompBrokerAutoConfiguration.class, StompWebSocketAutoConfiguration.class))
			.withPropertyValues("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1")
			.run((context) -> assertThat(context).hasSingleBean(StompBroker.class)
				.doesNotHaveBean(StompBrokerRelayMessageHandler.class));
	}

	@Test
	void webSocketSideCanBeTurnedOff() {
		this.runner.withPropertyValues("stomp.websocket.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(StompBroker.class)
				.doesNotHaveBean(StompBrokerRelayMessageHandler.class));
	}

	@Test
	void noBrokerMeansNothingToRelayTo() {
		this.runner.withPropertyValues("stomp.broker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StompBroker.class)
				.doesNotHaveBean(StompBrokerRelayMessageHandler.class)
				.doesNotHaveBean(SimpleBrokerMessageHandler.class));
	}

	@Test
	void relayModeStartsNoEngineAndRelaysWithReactorNetty() {
		this.runner
			.withPropertyValues("stomp.broker.mode=relay", "stomp.broker.relay.host=127.0.0.1",
					"stomp.broker.relay.port=1", "stomp.broker.relay.login=web", "stomp.broker.relay.passcode=webpass",
					"stomp.broker.relay.system-login=app", "stomp.broker.relay.system-passcode=apppass",
					"stomp.broker.relay.virtual-host=/", "stomp.broker.relay.system-heartbeat-send=5s")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(StompBroker.class)
					.doesNotHaveBean(InJvmTcpClient.class)
					.hasSingleBean(StompRelayConnectionDetails.class)
					.doesNotHaveBean(SimpleBrokerMessageHandler.class);
				StompBrokerRelayMessageHandler relay = context.getBean(StompBrokerRelayMessageHandler.class);
				assertThat(relay.getTcpClient()).isInstanceOf(ReactorNettyTcpClient.class);
				assertThat(relay.getRelayHost()).isEqualTo("127.0.0.1");
				assertThat(relay.getRelayPort()).isEqualTo(1);
				assertThat(relay.getClientLogin()).isEqualTo("web");
				assertThat(relay.getClientPasscode()).isEqualTo("webpass");
				assertThat(relay.getSystemLogin()).isEqualTo("app");
				assertThat(relay.getSystemPasscode()).isEqualTo("apppass");
				assertThat(relay.getVirtualHost()).isEqualTo("/");
				assertThat(relay.getSystemHeartbeatSendInterval()).isEqualTo(5000);
				assertThat(relay.getSystemSubscriptions()).containsOnlyKeys("/topic/unresolved-user-destination",
						"/topic/simp-user-registry");
			});
	}

	@Test
	void relayModeTakesConnectionDetailsFromABean() {
		this.runner.withPropertyValues("stomp.broker.mode=relay")
			.withBean(StompRelayConnectionDetails.class, () -> new StompRelayConnectionDetails() {
				@Override
				public String getHost() {
					return "127.0.0.2";
				}

				@Override
				public int getPort() {
					return 2;
				}

				@Override
				public String getLogin() {
					return "l";
				}

				@Override
				public String getPasscode() {
					return "p";
				}

				@Override
				public String getSystemLogin() {
					return "sl";
				}

				@Override
				public String getSystemPasscode() {
					return "sp";
				}
			})
			.run((context) -> {
				StompBrokerRelayMessageHandler relay = context.getBean(StompBrokerRelayMessageHandler.class);
				assertThat(relay.getRelayHost()).isEqualTo("127.0.0.2");
				assertThat(relay.getSystemLogin()).isEqualTo("sl");
			});
	}

	@Test
	void relayAddressesAreTheClusterNodesInOrderTheFirstPreferred() {
		this.runner
			.withPropertyValues("stomp.broker.mode=relay",
					"stomp.broker.relay.addresses=127.0.0.1:61614, [::1]:61615, rabbit-3", "stomp.broker.relay.port=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(StompRelayConnectionDetails.class).getAddresses()).containsExactly(
						new StompRelayConnectionDetails.Address("127.0.0.1", 61614),
						new StompRelayConnectionDetails.Address("::1", 61615),
						new StompRelayConnectionDetails.Address("rabbit-3", 1));
				StompBrokerRelayMessageHandler relay = context.getBean(StompBrokerRelayMessageHandler.class);
				assertThat(relay.getRelayHost()).isEqualTo("127.0.0.1");
				assertThat(relay.getRelayPort()).isEqualTo(61614);
				FailoverTcpClient client = (FailoverTcpClient) relay.getTcpClient();
				assertThat(client.getAddresses())
					.extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
					.containsExactly(tuple("127.0.0.1", 61614), tuple("::1", 61615), tuple("rabbit-3", 1));
				assertThat(client.getCurrentAddress().getPort()).isEqualTo(61614);
			});
	}

	@Test
	void relayHostAndPortAreTheOneAddressCase() {
		this.runner
			.withPropertyValues("stomp.broker.mode=relay", "stomp.broker.relay.host=127.0.0.1",
					"stomp.broker.relay.port=2")
			.run((context) -> assertThat(
					((FailoverTcpClient) context.getBean(StompBrokerRelayMessageHandler.class).getTcpClient())
						.getAddresses())
				.extracting(InetSocketAddress::getPort)
				.containsExactly(2));
	}

	@Test
	void badRelayAddressFailsStartupNamingTheProperty() {
		for (String bad : new String[] { "127.0.0.1:http", "127.0.0.1:70000", ":61613", "::1:61613" }) {
			this.runner.withPropertyValues("stomp.broker.mode=relay", "stomp.broker.relay.addresses=" + bad)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(InvalidConfigurationPropertyValueException.class)
						.hasMessageContaining("stomp.broker.relay.addresses")
						.hasMessageContaining(bad);
				});
		}
	}

	@Test
	void userRegistryBroadcastIntervalMustBePositive() {
		this.runner
			.withPropertyValues("stomp.broker.mode=relay", "stomp.broker.relay.user-registry-broadcast-interval=0s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("stomp.broker.relay.user-registry-broadcast-interval");
			});
	}

	@Test
	void relaySslBundleThatDoesNotExistFailsStartupNamingIt() {
		this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("stomp.broker.mode=relay", "stomp.broker.relay.ssl.bundle=nope")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("nope");
			});
	}

	@Test
	void relayModeWithoutReactorNettyFailsNamingTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.withPropertyValues("stomp.broker.mode=relay")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(StompRelayClientMissingException.class);
				FailureAnalysis analysis = new StompRelayClientMissingFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("stomp.broker.mode is relay", "Reactor Netty");
				assertThat(analysis.getAction()).contains("io.projectreactor.netty:reactor-netty-core",
						"stomp-spring-boot-starter", "stomp.broker.mode=embedded");
			});
	}

	@Test
	void relayModeWithoutReactorNettyRunsOnTheApplicationsOwnTcpClient() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.withPropertyValues("stomp.broker.mode=relay")
			.withUserConfiguration(UnreachableBrokerTcpClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(StompBrokerRelayMessageHandler.class).getTcpClient())
					.isSameAs(context.getBean(StompWebSocketAutoConfiguration.RELAY_TCP_CLIENT_BEAN_NAME));
			});
	}

	@Test
	void embeddedModeNeedsNoReactorNetty() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(StompBroker.class)
				.hasSingleBean(InJvmTcpClient.class));
	}

	@Test
	void usersOwnRelayTcpClientWins() {
		this.runner.withUserConfiguration(OwnTcpClientConfiguration.class).run((context) -> {
			assertThat(context).doesNotHaveBean(InJvmTcpClient.class);
			assertThat(context.getBean(StompBrokerRelayMessageHandler.class).getTcpClient())
				.isSameAs(context.getBean(StompWebSocketAutoConfiguration.RELAY_TCP_CLIENT_BEAN_NAME));
		});
	}

	@Test
	void usersConfigurerCanStillChangePrefixesWithoutBeingRejected() {
		this.runner.withUserConfiguration(PrefixConfigurer.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(StompBrokerRelayMessageHandler.class);
			assertThat(context
				.getBean(org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler.class)
				.getDestinationPrefixes()).containsExactly("/api/");
		});
	}

	@Test
	void usersSimpleBrokerIsAStartupErrorNotASecondBroker() {
		this.runner.withUserConfiguration(SimpleBrokerConfigurer.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(StompBrokerConflictException.class)
				.hasMessageContaining("simple broker")
				.hasMessageContaining("SimpleBrokerConfigurer");
			FailureAnalysis analysis = new StompBrokerConflictFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("stomp.broker.mode=relay", "stomp.websocket.enabled=false");
		});
	}

	@Test
	void usersOwnRelayIsAStartupErrorNotASilentBypassOfTheEmbeddedBroker() {
		this.runner.withUserConfiguration(OwnRelayConfigurer.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(StompBrokerConflictException.class)
				.hasMessageContaining("enableStompBrokerRelay");
		});
	}

	@Test
	void usersOwnBrokerIsFineOnceTheStarterStepsAside() {
		this.runner.withUserConfiguration(SimpleBrokerConfigurer.class, OwnEnableWebSocketMessageBroker.class)
			.withPropertyValues("stomp.websocket.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(StompBroker.class)
				.hasSingleBean(SimpleBrokerMessageHandler.class)
				.doesNotHaveBean(StompBrokerRelayMessageHandler.class));
	}

	/**
	 * A client of the application's own making that reaches no broker, not even Reactor
	 * Netty.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UnreachableBrokerTcpClientConfiguration {

		@Bean(StompWebSocketAutoConfiguration.RELAY_TCP_CLIENT_BEAN_NAME)
		TcpOperations<byte[]> stompRelayTcpClient() {
			return new TcpOperations<>() {
				@Override
				public java.util.concurrent.CompletableFuture<Void> connectAsync(
						org.springframework.messaging.tcp.TcpConnectionHandler<byte[]> handler) {
					return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("unreachable"));
				}

				@Override
				public java.util.concurrent.CompletableFuture<Void> connectAsync(
						org.springframework.messaging.tcp.TcpConnectionHandler<byte[]> handler,
						org.springframework.messaging.tcp.ReconnectStrategy reconnectStrategy) {
					return connectAsync(handler);
				}

				@Override
				public java.util.concurrent.CompletableFuture<Void> shutdownAsync() {
					return java.util.concurrent.CompletableFuture.completedFuture(null);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTcpClientConfiguration {

		@Bean(StompWebSocketAutoConfiguration.RELAY_TCP_CLIENT_BEAN_NAME)
		TcpOperations<byte[]> stompRelayTcpClient(StompBroker broker,
				@org.springframework.beans.factory.annotation.Qualifier(StompBrokerAutoConfiguration.SCHEDULER_BEAN_NAME) java.util.concurrent.ScheduledThreadPoolExecutor stompBrokerScheduler) {
			InJvmTcpClient delegate = new InJvmTcpClient(broker, stompBrokerScheduler);
			return new TcpOperations<>() {
				@Override
				public java.util.concurrent.CompletableFuture<Void> connectAsync(
						org.springframework.messaging.tcp.TcpConnectionHandler<byte[]> handler) {
					return delegate.connectAsync(handler);
				}

				@Override
				public java.util.concurrent.CompletableFuture<Void> connectAsync(
						org.springframework.messaging.tcp.TcpConnectionHandler<byte[]> handler,
						org.springframework.messaging.tcp.ReconnectStrategy reconnectStrategy) {
					return delegate.connectAsync(handler, reconnectStrategy);
				}

				@Override
				public java.util.concurrent.CompletableFuture<Void> shutdownAsync() {
					return delegate.shutdownAsync();
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PrefixConfigurer implements WebSocketMessageBrokerConfigurer {

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.setApplicationDestinationPrefixes("/api");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SimpleBrokerConfigurer implements WebSocketMessageBrokerConfigurer {

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.enableSimpleBroker("/topic");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnRelayConfigurer implements WebSocketMessageBrokerConfigurer {

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.enableStompBrokerRelay("/topic").setRelayHost("127.0.0.1").setRelayPort(1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker
	static class OwnEnableWebSocketMessageBroker implements WebSocketMessageBrokerConfigurer {

		@Override
		public void registerStompEndpoints(
				org.springframework.web.socket.config.annotation.StompEndpointRegistry registry) {
			registry.addEndpoint("/mine");
		}

	}

}
