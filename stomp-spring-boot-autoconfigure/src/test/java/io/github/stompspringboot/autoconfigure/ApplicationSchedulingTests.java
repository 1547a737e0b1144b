package io.github.stompspringboot.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker's timer is the broker's: an application's {@code @Scheduled} methods run on
 * Boot's own task scheduler, so a slow job never delays a client's heart-beats.
 */
class ApplicationSchedulingTests {

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@ImportAutoConfiguration({ StompBrokerAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
	static class SchedulingApplication {

		@Bean
		Job job() {
			return new Job();
		}

	}

	/**
	 * A web application: Spring's WebSocket messaging brings a TaskScheduler bean of its
	 * own.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@EnableAutoConfiguration
	static class WebSchedulingApplication {

		@Bean
		Job job() {
			return new Job();
		}

	}

	static class Job {

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		@Scheduled(fixedDelay = 10)
		void run() {
			this.threads.add(Thread.currentThread().getName());
		}

	}

	@Test
	void scheduledMethodsRunOnBootsSchedulerNeverOnTheBrokersTimer() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SchedulingApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0")
			.run()) {
			assertThat(context.containsBean("taskScheduler")).as("Boot's taskScheduler bean").isTrue();
			assertThat(context.getBean("taskScheduler")).isInstanceOf(TaskScheduler.class);
			assertThat(context.containsBean("stompBrokerScheduler")).isTrue();
			Job job = context.getBean(Job.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> job.threads.size() >= 1);
			assertThat(job.threads)
				.allSatisfy((thread) -> assertThat(thread).startsWith("scheduling-").doesNotStartWith("stomp-broker"));
		}
	}

	@Test
	void inAWebApplicationScheduledMethodsRunOnBootsSchedulerNotTheMessageBrokers() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebSchedulingApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("spring.main.banner-mode=off", "server.port=0", "server.address=127.0.0.1",
					"stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0")
			.run()) {
			assertThat(context.containsBean("messageBrokerTaskScheduler")).isTrue();
			assertThat(context.containsBean("taskScheduler")).as("Boot's taskScheduler bean").isTrue();
			Job job = context.getBean(Job.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> job.threads.size() >= 1);
			assertThat(job.threads).allSatisfy((thread) -> assertThat(thread).startsWith("scheduling-"));
		}
	}

}
