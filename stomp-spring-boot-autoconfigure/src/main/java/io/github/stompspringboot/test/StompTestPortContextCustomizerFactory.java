package io.github.stompspringboot.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Gives every Spring test context free STOMP ports, as
 * {@code @SpringBootTest(webEnvironment =
 * RANDOM_PORT)} does for {@code server.port}: two cached contexts never fight over 61613
 * and a test never collides with a broker running on the machine. The ports are published
 * as {@code local.stomp.port} and {@code local.stomp.ssl.port} (see
 * {@link LocalStompPort}).
 * <p>
 * The free ports sit above the application's own configuration and below the test's:
 * {@code @SpringBootTest(properties = "stomp.broker.tcp.port=61613")},
 * {@code @TestPropertySource} and {@code @DynamicPropertySource} still win. Registered in
 * {@code META-INF/spring.factories}, which only spring-test reads.
 */
class StompTestPortContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new FreeStompPorts();
	}

	static final class FreeStompPorts implements ContextCustomizer {

		static final String PROPERTY_SOURCE_NAME = "stompTestPorts";

		/** Property sources a test writes itself, which outrank the free ports. */
		private static final List<String> TEST_SOURCES = List
			.of(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, "Dynamic Test Properties");

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			ConfigurableEnvironment environment = context.getEnvironment();
			MutablePropertySources sources = environment.getPropertySources();
			MapPropertySource freePorts = new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("stomp.broker.tcp.port", portUnlessOff(environment, "stomp.broker.tcp.port"),
							"stomp.broker.tcp.ssl.port", portUnlessOff(environment, "stomp.broker.tcp.ssl.port")));
			String lowestTestSource = null;
			for (String name : TEST_SOURCES) {
				if (sources.contains(name) && (lowestTestSource == null || sources
					.precedenceOf(sources.get(name)) > sources.precedenceOf(sources.get(lowestTestSource)))) {
					lowestTestSource = name;
				}
			}
			if (lowestTestSource != null) {
				sources.addAfter(lowestTestSource, freePorts);
			}
			else {
				sources.addFirst(freePorts);
			}
		}

		/**
		 * -1 (listener off) stays off; any other configured port becomes 0, a free one.
		 */
		private static int portUnlessOff(ConfigurableEnvironment environment, String property) {
			Integer configured = environment.getProperty(property, Integer.class);
			return (configured != null && configured == -1) ? -1 : 0;
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return (other != null) && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
