package io.github.stompspringboot.autoconfigure;

import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.store.MvStoreMessageStore;
import io.github.stompspringboot.transport.tcp.StompTcpServer;
import io.netty.channel.Channel;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The embedded STOMP broker engine and its TCP listener. Not in relay mode
 * ({@code stomp.broker.mode=relay}), where an external broker does the work.
 */
@AutoConfiguration
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
			MessageStore stompMessageStore) {
		return new StompBroker(properties.toSettings(), stompBrokerScheduler, stompMessageStore);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Channel.class)
	@ConditionalOnBooleanProperty(name = "stomp.broker.tcp.enabled", matchIfMissing = true)
	static class TcpTransportConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StompTcpServer stompTcpServer(StompBroker broker, StompBrokerProperties properties) {
			return new StompTcpServer(broker, properties.getTcp().getHost(), properties.getTcp().getPort(), null);
		}

		@Bean
		StompTcpServerLifecycle stompTcpServerLifecycle(StompTcpServer server,
				ConfigurableApplicationContext context) {
			return new StompTcpServerLifecycle(server, context);
		}

	}

}
