package io.github.stompspringboot.test;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.transport.tcp.StompTcpServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring test contexts get free STOMP ports although the application configures 61613
 * (profile {@code fixed-stomp-port}), so two cached contexts live side by side; a port
 * the test sets itself still wins.
 */
class StompTestPortTests {

	@SpringBootConfiguration
	@ImportAutoConfiguration(StompBrokerAutoConfiguration.class)
	static class BrokerApplication {

	}

	@SpringBootTest(classes = BrokerApplication.class, webEnvironment = WebEnvironment.NONE)
	@ActiveProfiles("fixed-stomp-port")
	static class FirstContext {

		@LocalStompPort
		int port;

	}

	@SpringBootTest(classes = BrokerApplication.class, webEnvironment = WebEnvironment.NONE,
			properties = "stomp.broker.server-name=second")
	@ActiveProfiles("fixed-stomp-port")
	static class SecondContext {

		@LocalStompPort
		int port;

		@Autowired
		ApplicationContext context;

	}

	@SpringBootTest(classes = BrokerApplication.class, webEnvironment = WebEnvironment.NONE,
			properties = "stomp.broker.tcp.port=-1")
	@ActiveProfiles("fixed-stomp-port")
	static class ListenerTurnedOffByTheTest {

		@Autowired
		ApplicationContext context;

	}

	private static <T> T prepared(T testInstance) throws Exception {
		new TestContextManager(testInstance.getClass()).prepareTestInstance(testInstance);
		return testInstance;
	}

	@Test
	void twoCachedContextsEachGetAFreePortNotTheConfiguredOne() throws Exception {
		FirstContext first = prepared(new FirstContext());
		SecondContext second = prepared(new SecondContext());
		assertThat(first.port).isPositive().isNotEqualTo(61613);
		assertThat(second.port).isPositive().isNotEqualTo(61613).isNotEqualTo(first.port);
		assertThat(second.context.getBean(StompTcpServer.class).isRunning()).isTrue();
		for (int port : new int[] { first.port, second.port }) {
			try (StompTestClient client = StompTestClient.tcp(port).connect()) {
				assertThat(client.connected().command()).isEqualTo("CONNECTED");
			}
		}
	}

	@Test
	void aPortTheTestSetsWins() throws Exception {
		ListenerTurnedOffByTheTest test = prepared(new ListenerTurnedOffByTheTest());
		assertThat(test.context.getBeansOfType(StompTcpServer.class)).isEmpty();
	}

}
