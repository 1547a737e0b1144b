package io.github.stompspringboot.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PKCS12 key store with a fresh self-signed certificate for 127.0.0.1 and localhost,
 * made at test time by the JDK's keytool, and its certificate as PEM for clients outside
 * the JVM.
 */
public final class SelfSignedKeyStore {

	public static final String PASSWORD = "changeit";

	private final Path keyStore;

	private final Path certificatePem;

	private SelfSignedKeyStore(Path keyStore, Path certificatePem) {
		this.keyStore = keyStore;
		this.certificatePem = certificatePem;
	}

	public static SelfSignedKeyStore create(Path directory) throws IOException, InterruptedException {
		Path keyStore = directory.resolve("stomp.p12");
		Path pem = directory.resolve("stomp.pem");
		String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
		run(List.of(keytool, "-genkeypair", "-alias", "stomp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
				"-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore",
				keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
		run(List.of(keytool, "-exportcert", "-rfc", "-alias", "stomp", "-keystore", keyStore.toString(), "-storepass",
				PASSWORD, "-file", pem.toString()));
		return new SelfSignedKeyStore(keyStore, pem);
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException("keytool failed: " + new String(output));
		}
	}

	public Path keyStore() {
		return this.keyStore;
	}

	public Path certificatePem() {
		return this.certificatePem;
	}

	/** A client context that trusts exactly this certificate. */
	public SSLContext clientContext() throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(this.keyStore)) {
			store.load(in, PASSWORD.toCharArray());
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(store);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trust.getTrustManagers(), null);
		return context;
	}

}
