package io.github.stompspringboot.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IDEs complete and explain the security and TLS properties too. */
class SecurityConfigurationMetadataTests {

	private static List<Map<String, Object>> properties;

	@BeforeAll
	static void readMetadata() throws Exception {
		URL location = StompBrokerSecurityProperties.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader module = new URLClassLoader(new URL[] { location }, null);
				InputStream json = module.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			properties = JsonPath.read(json, "$.properties[*]");
		}
	}

	@Test
	void securityAndTlsPropertiesAreListedWithDescriptions() {
		assertThat(properties).filteredOn((p) -> ((String) p.get("name")).startsWith("stomp.broker."))
			.extracting((p) -> p.get("name"))
			.contains("stomp.broker.security.users", "stomp.broker.security.rules",
					"stomp.broker.security.anonymous.enabled", "stomp.broker.security.anonymous.groups",
					"stomp.broker.security.login-failure.delay", "stomp.broker.security.login-failure.max-delay",
					"stomp.broker.security.login-failure.max-tracked-addresses", "stomp.broker.tcp.ssl.bundle",
					"stomp.broker.tcp.ssl.port", "stomp.broker.tcp.ssl.client-auth");
		assertThat(property("stomp.broker.tcp.ssl.port")).containsEntry("defaultValue", 61614);
		assertThat(property("stomp.broker.security.anonymous.enabled")).containsEntry("defaultValue", true);
		assertThat(property("stomp.broker.security.login-failure.delay")).containsEntry("type", "java.time.Duration")
			.containsEntry("defaultValue", "1s");
		assertThat(property("stomp.broker.tcp.ssl.client-auth")).containsEntry("defaultValue", "none");
	}

	private static Map<String, Object> property(String name) {
		return properties.stream()
			.filter((p) -> name.equals(p.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No metadata for " + name));
	}

}
