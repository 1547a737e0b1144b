package io.github.stompspringboot.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import javax.net.ssl.SSLException;

import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.store.MvStoreMessageStore;
import io.github.stompspringboot.transport.tcp.StompTcpServer;
import io.github.stompspringboot.transport.tcp.WebSocketSettings;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The embedded STOMP broker engine and its TCP listeners: plain on 61613, TLS on 61614 when
 * an SSL bundle is named. Not in relay mode ({@code stomp.broker.mode=relay}), where an
 * external broker does the work.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "stomp.broker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "embedded", matchIfMissing = true)
@EnableConfigurationProperties(StompBrokerProperties.class)
public final class StompBrokerAutoConfiguration {

	/** One timer thread for every session's heart-beats and timeouts. */
	@Bean(destroyMethod = "shutdownNow")
	@ConditionalOnMissingBean(name = "stompBrokerScheduler")
	ScheduledThreadPoolExecutor stompBrokerScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("stomp-broker-timer-"));
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	/**
	 * The durable store in {@code stomp.broker.store.path} when set, else none (persistent
	 * messages then live in memory). Closed after the broker has shut down.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	MessageStore stompMessageStore(StompBrokerProperties properties) {
		StompBrokerProperties.Store store = properties.getStore();
		return (store.getPath() != null) ? new MvStoreMessageStore(store.getPath(), store.isFsync())
				: MessageStore.NONE;
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean
	StompBroker stompBroker(StompBrokerProperties properties, ScheduledThreadPoolExecutor stompBrokerScheduler,
			MessageStore stompMessageStore, ObjectProvider<StompAuthenticator> authenticator,
			ObjectProvider<StompAuthorizationPolicy> authorizationPolicy) {
		return new StompBroker(properties.toSettings(), stompBrokerScheduler, stompMessageStore,
				authenticator.getIfAvailable(() -> StompAuthenticator.PERMIT_ALL),
				authorizationPolicy.getIfAvailable(() -> StompAuthorizationPolicy.ALLOW_ALL));
	}

	/**
	 * WebSocket on the broker's ports, or null: the same origin rule as the servlet endpoint
	 * (one property, read here too so an application without a servlet container has it), and
	 * frames up to the largest body plus the most and longest headers, as there.
	 */
	static WebSocketSettings webSocketSettings(StompBrokerProperties properties, Environment environment) {
		StompBrokerProperties.Websocket webSocket = properties.getTcp().getWebsocket();
		if (!webSocket.isEnabled()) {
			return null;
		}
		List<String> origins = Binder.get(environment)
			.bind("stomp.websocket.allowed-origin-patterns", Bindable.listOf(String.class))
			.orElse(List.of());
		StompBrokerProperties.Limits limits = properties.getLimits();
		long maxFrame = limits.getMaxFrameSize().toBytes()
				+ (long) limits.getMaxHeaders() * limits.getMaxHeaderLength().toBytes() + 1024;
		return new WebSocketSettings(webSocket.getPath(), origins, (int) Math.min(Integer.MAX_VALUE - 1024, maxFrame));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Channel.class)
	@ConditionalOnBooleanProperty(name = "stomp.broker.tcp.enabled", matchIfMissing = true)
	static class TcpTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "stompTcpServer")
		@Conditional(PlainListenerCondition.class)
		StompTcpServer stompTcpServer(StompBroker broker, StompBrokerProperties properties, Environment environment) {
			return new StompTcpServer(broker, properties.getTcp().getHost(), properties.getTcp().getPort(), null,
					webSocketSettings(properties, environment));
		}

		@Bean
		@Conditional(PlainListenerCondition.class)
		StompTcpServerLifecycle stompTcpServerLifecycle(@Qualifier("stompTcpServer") StompTcpServer server,
				ConfigurableApplicationContext context) {
			return new StompTcpServerLifecycle(server, context, StompTcpServerLifecycle.PORT_PROPERTY, "TCP");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Channel.class)
	@ConditionalOnBooleanProperty(name = "stomp.broker.tcp.enabled", matchIfMissing = true)
	@ConditionalOnProperty("stomp.broker.tcp.ssl.bundle")
	static class TlsTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "stompTlsServer")
		StompTcpServer stompTlsServer(StompBroker broker, StompBrokerProperties properties, SslBundles sslBundles,
				Environment environment) throws SSLException {
			StompBrokerProperties.Ssl ssl = properties.getTcp().getSsl();
			return new StompTcpServer(broker, properties.getTcp().getHost(), ssl.getPort(),
					sslContext(sslBundles.getBundle(ssl.getBundle()), ssl.getClientAuth()),
					webSocketSettings(properties, environment));
		}

		@Bean
		StompTcpServerLifecycle stompTlsServerLifecycle(@Qualifier("stompTlsServer") StompTcpServer server,
				ConfigurableApplicationContext context) {
			return new StompTcpServerLifecycle(server, context, StompTcpServerLifecycle.SSL_PORT_PROPERTY, "TLS");
		}

		/** Netty's server-side TLS from the bundle's key and trust managers, protocols and ciphers. */
		static SslContext sslContext(SslBundle bundle, StompBrokerProperties.Ssl.ClientAuth clientAuth)
				throws SSLException {
			SslManagerBundle managers = bundle.getManagers();
			SslContextBuilder builder = SslContextBuilder.forServer(managers.getKeyManagerFactory())
				.trustManager(managers.getTrustManagerFactory())
				.clientAuth(switch (clientAuth) {
					case NONE -> ClientAuth.NONE;
					case WANT -> ClientAuth.OPTIONAL;
					case NEED -> ClientAuth.REQUIRE;
				});
			SslOptions options = bundle.getOptions();
			if (options.getEnabledProtocols() != null) {
				builder.protocols(options.getEnabledProtocols());
			}
			if (options.getCiphers() != null) {
				builder.ciphers(Arrays.asList(options.getCiphers()));
			}
			return builder.build();
		}

	}

	/** The plain listener runs unless its port is -1 (TLS only). */
	static class PlainListenerCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Integer port = context.getEnvironment().getProperty("stomp.broker.tcp.port", Integer.class, 61613);
			return (port == -1) ? ConditionOutcome.noMatch("stomp.broker.tcp.port is -1: no plain TCP listener")
					: ConditionOutcome.match("stomp.broker.tcp.port is " + port);
		}

	}

}
