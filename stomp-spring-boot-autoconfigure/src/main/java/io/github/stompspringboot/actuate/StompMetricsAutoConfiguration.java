package io.github.stompspringboot.actuate;

import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.broker.StompBroker;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the embedded broker ({@code stomp.broker.*}), when the application
 * has a {@link MeterRegistry} (Spring Boot's metrics support: Actuator, a registry such
 * as Prometheus).
 */
@AutoConfiguration(after = StompBrokerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class,
		org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class })
@ConditionalOnBean({ StompBroker.class, MeterRegistry.class })
@EnableConfigurationProperties(StompMetricsProperties.class)
public final class StompMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StompBrokerMeterBinder stompBrokerMeterBinder(StompBroker broker, StompMetricsProperties properties,
			@Qualifier("stompBrokerScheduler") ScheduledThreadPoolExecutor scheduler) {
		return new StompBrokerMeterBinder(broker, properties.getMaxDestinations(), scheduler,
				properties.getRefreshInterval().toMillis());
	}

}
