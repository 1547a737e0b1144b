package io.github.stompspringboot.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.store.JournalMessageStore;
import io.github.stompspringboot.support.SelfSignedKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What a user reads when the broker cannot start: Boot's "APPLICATION FAILED TO START"
 * report naming the property to change and how, never a bare stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureAnalysisTests {

	@TempDir
	Path directory;

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, StompBrokerAutoConfiguration.class })
	static class BrokerApplication {

	}

	private static void failsToStart(String... properties) {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(BrokerApplication.class).web(WebApplicationType.NONE)
				.properties("spring.main.banner-mode=off", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0")
				.properties(properties)
				.run()
				.close());
	}

	@Test
	void tlsPortTakenNamesTheSslPortProperty(CapturedOutput output) throws Exception {
		SelfSignedKeyStore keyStore = SelfSignedKeyStore.create(this.directory);
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int port = taken.getLocalPort();
			failsToStart("spring.ssl.bundle.jks.stomp.keystore.location=file:" + keyStore.keyStore(),
					"spring.ssl.bundle.jks.stomp.keystore.password=" + SelfSignedKeyStore.PASSWORD,
					"spring.ssl.bundle.jks.stomp.keystore.type=PKCS12", "stomp.broker.tcp.ssl.bundle=stomp",
					"stomp.broker.tcp.ssl.port=" + port);
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("TLS listener could not listen on 127.0.0.1:" + port)
				.contains("'stomp.broker.tcp.ssl.port'")
				.contains("removing 'stomp.broker.tcp.ssl.bundle'")
				.doesNotContain("set 'stomp.broker.tcp.port'");
		}
	}

	@Test
	void negativeSizeNamesThePropertyAndTheValue(CapturedOutput output) {
		failsToStart("stomp.broker.limits.max-queue-size=-1MB");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: stomp.broker.limits.max-queue-size")
			.contains("Value: \"-1048576B\"")
			.contains("must not be negative; set it to 0 or more");
	}

	@Test
	void negativeCountNamesTheProperty(CapturedOutput output) {
		failsToStart("stomp.broker.limits.max-connections=-5");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: stomp.broker.limits.max-connections")
			.contains("must not be negative");
	}

	@Test
	void minusOneStaysAllowedWhereItIsDocumented() {
		try (var context = new SpringApplicationBuilder(BrokerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0",
					"stomp.broker.destinations.max-redeliveries=-1")
			.run()) {
			assertThat(context.getBean(StompBroker.class).settings().getDestinationDefaults().maxRedeliveries())
				.isEqualTo(-1);
		}
	}

	@Test
	void unknownModeListsTheValidModes(CapturedOutput output) {
		failsToStart("stomp.broker.mode=cluster");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("stomp.broker.mode")
			.contains("\"cluster\"")
			.contains("EMBEDDED")
			.contains("RELAY");
	}

	@Test
	void unknownSslBundleNamesThePropertyAndTheBundlesThatExist(CapturedOutput output) {
		failsToStart("stomp.broker.tcp.ssl.bundle=missing", "stomp.broker.tcp.ssl.port=0");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("'stomp.broker.tcp.ssl.bundle' is 'missing': no SSL bundle has that name (none is defined)")
			.contains("'spring.ssl.bundle.jks.missing'");
	}

	@Test
	void storeLockedByAnotherOwnerNamesThePathAndTheProperty(CapturedOutput output) {
		Path store = this.directory.resolve("store");
		try (JournalMessageStore owner = new JournalMessageStore(store, false)) {
			failsToStart("stomp.broker.store.path=" + store);
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("could not open its durable message store in " + store)
				.contains("another instance of this application")
				.contains("'stomp.broker.store.path'");
		}
	}

	@Test
	void storeDirectoryThatCannotBeCreatedNamesThePathAndTheProperty(CapturedOutput output) throws Exception {
		// A path below a regular file can never be a directory, even for root.
		Path file = Files.writeString(this.directory.resolve("a-file"), "not a directory");
		Path store = file.resolve("store");
		failsToStart("stomp.broker.store.path=" + store);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("could not open its durable message store in " + store)
			.contains("make the directory writable by this process");
	}

}
