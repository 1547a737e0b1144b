package io.github.stompspringboot.clients;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.support.ExternalClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed articles' client programs against the broker as a Spring Boot application
 * starts it, found through {@code local.stomp.port}, with the default heart-beat
 * settings.
 */
class SeedClientsOnBootApplicationTests {

	private static ConfigurableApplicationContext context;

	private static int port;

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(StompBrokerAutoConfiguration.class)
	static class BrokerApplication {

	}

	@BeforeAll
	static void startApplication() {
		context = new SpringApplicationBuilder(BrokerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0")
			.run();
		port = context.getEnvironment().getRequiredProperty("local.stomp.port", Integer.class);
	}

	@AfterAll
	static void stopApplication() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void stompPyDemo() {
		String output = ExternalClient.STOMP_PY.run("stomp_py_demo.py", port).assertSucceeded().output();
		assertThat(output).contains("OK demo round trip");
	}

	@Test
	void phpSeedExample() {
		String output = ExternalClient.PHP_STOMP.run("php_seed_example.php", port).assertSucceeded().output();
		assertThat(output).contains("string(7) \"MESSAGE\"").contains("string(3) \"bar\"");
	}

}
