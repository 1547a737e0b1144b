package io.github.stompspringboot.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import javax.net.ssl.SSLException;

import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.MessageStoreUnavailableException;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSecurityListener;
import io.github.stompspringboot.broker.store.JournalMessageStore;
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
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The embedded STOMP broker engine and its TCP listeners: plain on 61613, TLS on 61614
 * when an SSL bundle is named. Not in relay mode ({@code stomp.broker.mode=relay}), where
 * an external broker does the work.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "stomp.broker.enabled", matchIfMissing = true)
@Conditional(StompBrokerAutoConfiguration.EmbeddedModeCondition.class)
@EnableConfigurationProperties(StompBrokerProperties.class)
@ImportRuntimeHints(StompBrokerRuntimeHints.class)
public final class StompBrokerAutoConfiguration {

	/**
	 * The broker's timer bean; inject it with {@code @Qualifier(SCHEDULER_BEAN_NAME)}.
	 */
	public static final String SCHEDULER_BEAN_NAME = "stompBrokerScheduler";

	/**
	 * One timer thread for every session's heart-beats and timeouts. Not a default
	 * candidate: an executor bean found by type would switch off Boot's
	 * {@code taskScheduler} and run the application's {@code @Scheduled} methods on this
	 * thread, where a slow job delays every client's heart-beats. Only injection points
	 * that name it get it.
	 */
	@Bean(name = SCHEDULER_BEAN_NAME, destroyMethod = "shutdownNow", defaultCandidate = false)
	@Qualifier(SCHEDULER_BEAN_NAME)
	@ConditionalOnMissingBean(name = SCHEDULER_BEAN_NAME)
	ScheduledThreadPoolExecutor stompBrokerScheduler() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
				new CustomizableThreadFactory("stomp-broker-timer-"));
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	/**
	 * The durable store in {@code stomp.broker.store.path} when set, else none
	 * (persistent messages then live in memory). Closed after the broker has shut down.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	MessageStore stompMessageStore(StompBrokerProperties properties) {
		StompBrokerProperties.Store store = properties.getStore();
		if (store.getPath() == null) {
			return MessageStore.NONE;
		}
		try {
			return new JournalMessageStore(store.getPath(), store.isFsync());
		}
		catch (MessageStoreUnavailableException ex) {
			throw ex;
		}
		catch (RuntimeException ex) { // the journal's own: a file it cannot read or write
			throw new MessageStoreUnavailableException(store.getPath(), ex);
		}
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean
	StompBroker stompBroker(StompBrokerProperties properties,
			@Qualifier(SCHEDULER_BEAN_NAME) ScheduledExecutorService stompBrokerScheduler,
			MessageStore stompMessageStore, ObjectProvider<StompAuthenticator> authenticator,
			ObjectProvider<StompAuthorizationPolicy> authorizationPolicy, ApplicationEventPublisher events) {
		StompBroker broker = new StompBroker(properties.toSettings(), stompBrokerScheduler, stompMessageStore,
				authenticator.getIfAvailable(() -> StompAuthenticator.PERMIT_ALL),
				authorizationPolicy.getIfAvailable(() -> StompAuthorizationPolicy.ALLOW_ALL));
		broker.setSecurityListener(new StompSecurityListener() {

			@Override
			public void loginRefused(String login, String remoteAddress, String reason) {
				events.publishEvent(new StompLoginRefusedEvent(broker, login, remoteAddress, reason));
			}

			@Override
			public void accessDenied(String user, String remoteAddress, String action, String destination) {
				events.publishEvent(new StompAccessDeniedEvent(broker, user, remoteAddress, action, destination));
			}

		});
		return broker;
	}

	/**
	 * WebSocket on the broker's ports, or null: the same origin rule as the servlet
	 * endpoint (one property, read here too so an application without a servlet container
	 * has it), and frames up to the largest body plus the most and longest headers, as
	 * there.
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
				ConfigurableApplicationContext context, StompBrokerProperties properties) {
			return new StompTcpServerLifecycle(server, context, StompTcpServerLifecycle.PORT_PROPERTY, "TCP",
					properties.getTcp().getShutdownQuietPeriod());
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
					sslContext(bundle(sslBundles, ssl.getBundle()), ssl.getClientAuth()),
					webSocketSettings(properties, environment));
		}

		private static SslBundle bundle(SslBundles sslBundles, String name) {
			try {
				return sslBundles.getBundle(name);
			}
			catch (NoSuchSslBundleException ex) {
				throw new InvalidStompPropertyException("stomp.broker.tcp.ssl.bundle", name,
						"no SSL bundle has that name" + knownBundles(sslBundles),
						"Define the bundle under 'spring.ssl.bundle.jks." + name + "' or 'spring.ssl.bundle.pem." + name
								+ "', or set 'stomp.broker.tcp.ssl.bundle' to the name of one that is defined.",
						ex);
			}
		}

		private static String knownBundles(SslBundles sslBundles) {
			List<String> names = sslBundles.getBundleNames();
			return names.isEmpty() ? " (none is defined)" : " (defined: " + String.join(", ", names) + ")";
		}

		@Bean
		StompTcpServerLifecycle stompTlsServerLifecycle(@Qualifier("stompTlsServer") StompTcpServer server,
				ConfigurableApplicationContext context, StompBrokerProperties properties) {
			return new StompTcpServerLifecycle(server, context, StompTcpServerLifecycle.SSL_PORT_PROPERTY, "TLS",
					properties.getTcp().getShutdownQuietPeriod());
		}

		/**
		 * Netty's server-side TLS from the bundle's key and trust managers, protocols and
		 * ciphers.
		 */
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

	/**
	 * Embedded mode, the default. An unknown mode matches too: binding the properties
	 * then fails with Boot's report naming {@code stomp.broker.mode} and its valid
	 * values, where a plain property condition would quietly start no broker at all.
	 */
	static class EmbeddedModeCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String mode = context.getEnvironment().getProperty("stomp.broker.mode");
			if (mode == null || mode.equalsIgnoreCase("embedded")) {
				return ConditionOutcome.match("stomp.broker.mode is " + ((mode != null) ? mode : "not set"));
			}
			if (mode.equalsIgnoreCase("relay")) {
				return ConditionOutcome.noMatch("stomp.broker.mode is relay");
			}
			return ConditionOutcome.match("stomp.broker.mode '" + mode + "' is unknown: binding reports it");
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
