package io.github.stompspringboot.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.support.SelfSignedKeyStore;
import io.github.stompspringboot.transport.tcp.StompTcpServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS on its own port from a Spring Boot SSL bundle, with a certificate keytool makes for
 * the test, reached by real TLS clients: Java's SSLSocket, openssl s_client and stomp.py.
 */
class StompTlsTests {

	@TempDir
	static Path directory;

	private static SelfSignedKeyStore keyStore;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, StompBrokerSecurityAutoConfiguration.class,
				StompBrokerAutoConfiguration.class));

	@BeforeAll
	static void createKeyStore() throws Exception {
		keyStore = SelfSignedKeyStore.create(directory);
	}

	private void withTlsBroker(ContextConsumer<AssertableApplicationContext> test, String... extraProperties) {
		this.contextRunner
			.withPropertyValues("spring.ssl.bundle.jks.stomp.keystore.location=file:" + keyStore.keyStore(),
					"spring.ssl.bundle.jks.stomp.keystore.password=" + SelfSignedKeyStore.PASSWORD,
					"spring.ssl.bundle.jks.stomp.keystore.type=PKCS12", "stomp.broker.tcp.host=127.0.0.1",
					"stomp.broker.tcp.port=0", "stomp.broker.tcp.ssl.bundle=stomp", "stomp.broker.tcp.ssl.port=0",
					"stomp.broker.security.users[0].login=app1",
					"stomp.broker.security.users[0].password={noop}app1-secret",
					"stomp.broker.security.login-failure.delay=0")
			.withPropertyValues(extraProperties)
			.run(test);
	}

	private static int tlsPort(AssertableApplicationContext context) {
		return context.getEnvironment().getProperty("local.stomp.ssl.port", Integer.class);
	}

	private static RawStompClient tlsClient(int port) throws Exception {
		SSLSocket socket = (SSLSocket) keyStore.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
		socket.startHandshake();
		return new RawStompClient(socket);
	}

	@Test
	void javaSslSocketConnectsSendsAndReceivesOverTls() {
		withTlsBroker((context) -> {
			assertThat(context).hasBean("stompTlsServer").hasBean("stompTcpServer");
			try (RawStompClient client = tlsClient(tlsPort(context))) {
				client.send("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:app1\npasscode:app1-secret\n\n\0");
				assertThat(client.receive().command()).isEqualTo("CONNECTED");
				client.send("SUBSCRIBE\nid:0\ndestination:/queue/tls\n\n\0");
				client.send("SEND\ndestination:/queue/tls\n\nover tls\0");
				Frame message = client.receive();
				assertThat(message.command()).isEqualTo("MESSAGE");
				assertThat(message.bodyText()).isEqualTo("over tls");
			}
		});
	}

	@Test
	void wrongPasscodeOverTlsIsRefusedToo() {
		withTlsBroker((context) -> {
			try (RawStompClient client = tlsClient(tlsPort(context))) {
				client.send("CONNECT\naccept-version:1.2\nlogin:app1\npasscode:wrong\n\n\0");
				assertThat(client.receive().header("message")).isEqualTo("access refused");
				assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
			}
		});
	}

	@Test
	void clientThatDoesNotTrustTheCertificateFailsTheHandshake() {
		withTlsBroker((context) -> {
			SSLSocket socket = (SSLSocket) javax.net.ssl.SSLContext.getDefault()
				.getSocketFactory()
				.createSocket("127.0.0.1", tlsPort(context));
			try (socket) {
				assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(socket::startHandshake);
			}
		});
	}

	@Test
	void plainPortMinusOneLeavesOnlyTheTlsListener() {
		withTlsBroker((context) -> {
			assertThat(context).hasSingleBean(StompTcpServer.class).hasBean("stompTlsServer");
			assertThat(context.getEnvironment().getProperty("local.stomp.port")).isNull();
			try (RawStompClient client = tlsClient(tlsPort(context))) {
				client.send("CONNECT\naccept-version:1.2\nlogin:app1\npasscode:app1-secret\n\n\0");
				assertThat(client.receive().command()).isEqualTo("CONNECTED");
			}
		}, "stomp.broker.tcp.port=-1");
	}

	@Test
	void unknownBundleNameFailsTheStartup() {
		withTlsBroker(
				(context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("nope"),
				"stomp.broker.tcp.ssl.bundle=nope");
	}

	@Test
	void opensslClientGetsConnectedAndItsReceiptOverTls() {
		assumeTrue(onPath("openssl"), "openssl not installed: apt-get install openssl");
		withTlsBroker((context) -> {
			Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort(context),
					"-CAfile", keyStore.certificatePem().toString(), "-verify_return_error", "-quiet")
				.redirectErrorStream(true)
				.start();
			try (OutputStream in = openssl.getOutputStream()) {
				in.write(("CONNECT\naccept-version:1.2\nlogin:app1\npasscode:app1-secret\n\n\0"
						+ "DISCONNECT\nreceipt:bye\n\n\0")
					.getBytes(StandardCharsets.UTF_8));
			}
			String output = readWithin(openssl, Duration.ofSeconds(20));
			assertThat(output).contains("CONNECTED").contains("version:1.2").contains("receipt-id:bye");
		});
	}

	@Test
	void stompPyClientSubscribesAndReceivesOverTls() {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 not installed: apt-get install python3");
		assumeTrue(pythonHasStomp(), "python3-stomp not installed: apt-get install python3-stomp");
		withTlsBroker((context) -> {
			String script = """
					import os, sys, threading, stomp
					port, ca = int(sys.argv[1]), sys.argv[2]
					# never outlive the test's deadline, whatever blocks
					threading.Timer(50, lambda: (print("GAVE UP", flush=True), os._exit(3))).start()
					got = threading.Event()
					class Listener(stomp.ConnectionListener):
					    def on_message(self, frame):
					        print("MESSAGE " + frame.body, flush=True)
					        got.set()
					    def on_error(self, frame):
					        print("ERROR " + str(frame.headers), flush=True)
					conn = stomp.Connection12([("127.0.0.1", port)])
					conn.set_ssl(for_hosts=[("127.0.0.1", port)], ca_certs=ca)
					conn.set_listener("", Listener())
					print("connecting", flush=True)
					conn.connect("app1", "app1-secret", wait=True)
					print("connected", flush=True)
					conn.subscribe("/queue/py.tls", id="1", ack="auto")
					conn.send("/queue/py.tls", "hello from stomp.py over tls")
					print("RECEIVED" if got.wait(20) else "TIMEOUT", flush=True)
					conn.disconnect()
					os._exit(0)
					""";
			Path file = directory.resolve("tls_client.py");
			Files.writeString(file, script);
			Process python = new ProcessBuilder("/usr/bin/python3", file.toString(), String.valueOf(tlsPort(context)),
					keyStore.certificatePem().toString())
				.redirectErrorStream(true)
				.start();
			python.getOutputStream().close();
			String output = readWithin(python, Duration.ofSeconds(60));
			assertThat(output).contains("MESSAGE hello from stomp.py over tls").contains("RECEIVED");
		});
	}

	static boolean onPath(String tool) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
			if (Files.isExecutable(Path.of(dir, tool))) {
				return true;
			}
		}
		return false;
	}

	static boolean pythonHasStomp() {
		try {
			Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import stomp").redirectErrorStream(true)
				.start();
			return check.waitFor(20, TimeUnit.SECONDS) && check.exitValue() == 0;
		}
		catch (IOException | InterruptedException ex) {
			return false;
		}
	}

	/** Everything the process prints until it exits; it must exit within the deadline. */
	static String readWithin(Process process, Duration deadline) throws Exception {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		Thread reader = new Thread(() -> {
			try {
				process.getInputStream().transferTo(output);
			}
			catch (IOException ex) {
				// the process went away; what was read stays
			}
		});
		reader.start();
		boolean exited = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		reader.join(5000);
		String text = output.toString(StandardCharsets.UTF_8);
		assertThat(exited).as("process ended in time; printed:\n" + text).isTrue();
		return text;
	}

}
