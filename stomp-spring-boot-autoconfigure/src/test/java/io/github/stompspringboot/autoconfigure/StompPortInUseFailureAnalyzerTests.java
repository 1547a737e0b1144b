package io.github.stompspringboot.autoconfigure;

import java.net.BindException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;

import io.github.stompspringboot.transport.tcp.StompPortInUseException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** The advice a user reads when the STOMP port is taken. */
class StompPortInUseFailureAnalyzerTests {

	@Test
	void describesThePortAndNamesThePropertiesToChange() {
		Throwable failure = new BeanCreationException("stompTcpServerLifecycle",
				new StompPortInUseException("0.0.0.0", 61613, new BindException("Address already in use")));
		FailureAnalysis analysis = new StompPortInUseFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("0.0.0.0:61613").contains("already in use");
		assertThat(analysis.getAction()).contains("port 61613")
			.contains("'stomp.broker.tcp.port'")
			.contains("0 picks a free one")
			.contains("'stomp.broker.tcp.enabled=false'");
		assertThat(analysis.getCause()).isInstanceOf(StompPortInUseException.class);
	}

	@Test
	void tlsPortTakenNamesTheSslPortProperty() {
		Throwable failure = new BeanCreationException("stompTlsServerLifecycle",
				new StompPortInUseException("0.0.0.0", 61614, true, new BindException("Address already in use")));
		FailureAnalysis analysis = new StompPortInUseFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).contains("TLS listener").contains("0.0.0.0:61614");
		assertThat(analysis.getAction()).contains("'stomp.broker.tcp.ssl.port'")
			.contains("'stomp.broker.tcp.ssl.bundle'")
			.doesNotContain("'stomp.broker.tcp.port'");
	}

	@Test
	void leavesOtherFailuresToOtherAnalyzers() {
		assertThat(new StompPortInUseFailureAnalyzer().analyze(new BindException("some other server"))).isNull();
	}

	@Test
	void isRegisteredForSpringBootToFind() throws Exception {
		// Names only: instantiating every analyzer on the classpath needs a bean factory.
		List<String> registered = new ArrayList<>();
		Enumeration<URL> files = getClass().getClassLoader()
			.getResources(SpringFactoriesLoader.FACTORIES_RESOURCE_LOCATION);
		while (files.hasMoreElements()) {
			Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(files.nextElement()));
			String names = factories.getProperty(FailureAnalyzer.class.getName());
			if (names != null) {
				registered.addAll(StringUtils.commaDelimitedListToSet(names));
			}
		}
		assertThat(registered).contains(StompPortInUseFailureAnalyzer.class.getName(),
				InvalidStompPropertyFailureAnalyzer.class.getName(),
				MessageStoreUnavailableFailureAnalyzer.class.getName());
	}

}
