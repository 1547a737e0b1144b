package io.github.stompspringboot.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata {@code spring-boot-configuration-processor} writes for IDEs: every
 * {@code stomp.broker} property is there, typed, described and with its default.
 */
class ConfigurationMetadataTests {

	private static final List<String> PROPERTIES = List.of("stomp.broker.enabled", "stomp.broker.server-name",
			"stomp.broker.connect-timeout", "stomp.broker.tcp.enabled", "stomp.broker.tcp.host",
			"stomp.broker.tcp.port", "stomp.broker.heartbeat.send", "stomp.broker.heartbeat.receive",
			"stomp.broker.heartbeat.grace-factor", "stomp.broker.limits.max-frame-size",
			"stomp.broker.limits.max-headers", "stomp.broker.limits.max-header-length",
			"stomp.broker.limits.max-subscriptions-per-connection", "stomp.broker.limits.max-connections",
			"stomp.broker.limits.max-pending-bytes-per-connection", "stomp.broker.destinations.queue-prefixes",
			"stomp.broker.destinations.topic-prefixes", "stomp.broker.destinations.default-type",
			"stomp.broker.destinations.max-redeliveries", "stomp.broker.destinations.dead-letter-queue",
			"stomp.broker.destinations.max-queue-depth", "stomp.broker.destinations.max-queue-size",
			"stomp.broker.destinations.queue-full-policy", "stomp.broker.destinations.strict-order",
			"stomp.broker.destinations.time-to-live", "stomp.broker.destinations.persistent",
			"stomp.broker.destinations.policies", "stomp.broker.limits.max-transactions-per-connection",
			"stomp.broker.limits.max-frames-per-transaction", "stomp.broker.limits.max-unacked-per-subscription",
			"stomp.broker.delivery.default-prefetch", "stomp.broker.store.path", "stomp.broker.store.fsync",
			"stomp.broker.expiry.queue");

	/**
	 * Keys replaced by stomp.broker.destinations, which still bind; by their replacement.
	 */
	private static final Map<String, String> REPLACED = Map.of("stomp.broker.limits.max-queue-depth",
			"stomp.broker.destinations.max-queue-depth", "stomp.broker.limits.max-queue-size",
			"stomp.broker.destinations.max-queue-size", "stomp.broker.limits.queue-full-policy",
			"stomp.broker.destinations.queue-full-policy", "stomp.broker.delivery.max-redeliveries",
			"stomp.broker.destinations.max-redeliveries", "stomp.broker.delivery.dead-letter-queue",
			"stomp.broker.destinations.dead-letter-queue", "stomp.broker.delivery.policies",
			"stomp.broker.destinations.policies", "stomp.broker.store.persistent-destinations",
			"stomp.broker.destinations.policies", "stomp.broker.expiry.time-to-live",
			"stomp.broker.destinations.policies");

	private static List<Map<String, Object>> properties;

	@BeforeAll
	static void readMetadata() throws Exception {
		// Only this module's output, not the metadata of the Spring Boot jars on the
		// classpath.
		URL location = StompBrokerProperties.class.getProtectionDomain().getCodeSource().getLocation();
		try (URLClassLoader module = new URLClassLoader(new URL[] { location }, null);
				InputStream json = module.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(json).as("META-INF/spring-configuration-metadata.json in " + location).isNotNull();
			properties = JsonPath.read(json, "$.properties[*]");
		}
	}

	@Test
	void everyPropertyIsListedWithADescription() {
		assertThat(properties).extracting((p) -> p.get("name")).containsAll(PROPERTIES);
		assertThat(properties).filteredOn((p) -> ((String) p.get("name")).startsWith("stomp."))
			.allSatisfy((p) -> assertThat((String) p.get("description")).as("description of " + p.get("name"))
				.isNotBlank()
				.endsWith("."));
	}

	@Test
	void durationsAndSizesAreTypedSoIdesOfferTheirUnits() {
		assertThat(property("stomp.broker.connect-timeout")).containsEntry("type", "java.time.Duration")
			.containsEntry("defaultValue", "30s");
		assertThat(property("stomp.broker.heartbeat.send")).containsEntry("type", "java.time.Duration")
			.containsEntry("defaultValue", "10s");
		assertThat(property("stomp.broker.limits.max-frame-size"))
			.containsEntry("type", "org.springframework.util.unit.DataSize")
			.containsEntry("defaultValue", "4MB");
		assertThat(property("stomp.broker.limits.max-header-length")).containsEntry("defaultValue", "8KB");
		assertThat(property("stomp.broker.destinations.max-queue-size"))
			.containsEntry("type", "org.springframework.util.unit.DataSize")
			.containsEntry("defaultValue", "64MB");
		assertThat(property("stomp.broker.destinations.time-to-live")).containsEntry("type", "java.time.Duration");
	}

	@Test
	void destinationSettingsDocumentTheEngineDefaults() {
		assertThat(property("stomp.broker.destinations.max-redeliveries")).containsEntry("defaultValue", 5);
		assertThat(property("stomp.broker.destinations.dead-letter-queue")).containsEntry("defaultValue",
				"/queue/DLQ.{name}");
		assertThat(property("stomp.broker.destinations.max-queue-depth")).containsEntry("defaultValue", 100_000);
		assertThat(property("stomp.broker.destinations.queue-full-policy")).containsEntry("defaultValue", "block");
		assertThat(property("stomp.broker.destinations.strict-order")).containsEntry("defaultValue", false);
		assertThat(property("stomp.broker.destinations.persistent")).containsEntry("defaultValue", false);
	}

	@Test
	void replacedKeysAreDeprecatedWithTheirReplacement() {
		REPLACED.forEach((name, replacement) -> {
			assertThat(property(name)).as(name).containsEntry("deprecated", true);
			assertThat(property(name).get("deprecation")).as(name)
				.asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("replacement", replacement);
			assertThat(properties).as(replacement).extracting((p) -> p.get("name")).contains(replacement);
		});
	}

	@Test
	void defaultsAreDocumented() {
		assertThat(property("stomp.broker.tcp.port")).containsEntry("defaultValue", 61613);
		assertThat(property("stomp.broker.enabled")).containsEntry("defaultValue", true);
		assertThat(property("stomp.broker.destinations.default-type")).containsEntry("defaultValue", "queue");
		assertThat(property("stomp.broker.destinations.queue-prefixes").get("defaultValue"))
			.isEqualTo(List.of("/queue/"));
		assertThat(property("stomp.broker.destinations.topic-prefixes").get("defaultValue"))
			.isEqualTo(List.of("/topic/"));
	}

	private static Map<String, Object> property(String name) {
		return properties.stream()
			.filter((p) -> name.equals(p.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No metadata for " + name));
	}

}
