package io.github.stompspringboot.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.support.StandaloneBrokerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that cannot write (a full disk) while the broker runs, and writes again later:
 * a broker in its own JVM whose file size limit (RLIMIT_FSIZE) is lowered to one byte
 * with {@code prlimit}, so every journal write fails with EFBIG as on a full disk (the
 * JVM ignores SIGXFSZ), then raised again. While writes fail, a persistent SEND gets an
 * ERROR instead of its RECEIPT and the health is DOWN; afterwards SENDs are receipted
 * again and the health is UP; after a kill and a restart every receipted message is
 * delivered.
 */
class StoreWriteFailureTests {

	private static final String QUEUE = "/queue/disk";

	@TempDir
	Path workDir;

	@ParameterizedTest(name = "fsync={0}")
	@ValueSource(booleans = { false, true })
	@Timeout(value = 3, unit = TimeUnit.MINUTES)
	void producersGetAnErrorWhileTheDiskIsFullAndReceiptsOnceItIsNotAndNothingReceiptedIsLost(boolean fsync)
			throws Exception {
		Path store = this.workDir.resolve("store");
		Path log = this.workDir.resolve("broker.log");
		Set<String> receipted = new HashSet<>();
		Set<String> refused = new HashSet<>();
		try (StandaloneBrokerProcess broker = StandaloneBrokerProcess.start(store, log, fsync)) {
			assumePrlimitWorks(broker.pid());
			try (RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
				for (int i = 0; i < 50; i++) {
					sendReceipted(producer, "before-" + i);
					receipted.add("before-" + i);
				}
			}
			assertThat(broker.health()).startsWith("UP");

			prlimit(broker.pid(), "1:unlimited");
			try (RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
				producer.send(send("full-0", "receipt:full-0"));
				Frame answer = producer.receive(Duration.ofSeconds(30));
				assertThat(answer.command()).as("answer to a persistent SEND while the disk is full: %s", answer)
					.isEqualTo("ERROR");
				assertThat(answer.header("receipt-id")).isEqualTo("full-0");
				refused.add("full-0");
			}
			assertThat(broker.health()).as("health while the store cannot write").startsWith("DOWN");

			prlimit(broker.pid(), "unlimited:unlimited");
			try (RawStompClient producer = RawStompClient.connect(broker.port(), "1.2")) {
				for (int i = 0; i < 50; i++) {
					sendReceipted(producer, "after-" + i);
					receipted.add("after-" + i);
				}
			}
			assertThat(broker.health()).as("health once the store writes again").startsWith("UP");
			broker.kill();
		}
		Set<String> delivered = new HashSet<>();
		try (StandaloneBrokerProcess broker = StandaloneBrokerProcess.start(store, log, fsync);
				RawStompClient consumer = RawStompClient.connect(broker.port(), "1.2")) {
			consumer.send("SUBSCRIBE\nid:s\ndestination:" + QUEUE + "\nack:auto\n\n\0");
			// bounded: every receipted message, then silence (the refused one may or may
			// not have been written before the disk filled)
			for (int i = 0; i < receipted.size() + refused.size() && !delivered.containsAll(receipted); i++) {
				Frame message = consumer.receive(Duration.ofSeconds(30));
				assertThat(message.command()).as("frame %s", message).isEqualTo("MESSAGE");
				delivered.add(message.bodyText());
			}
		}
		assertThat(delivered).as("every receipted message, after the disk was full and a restart")
			.containsAll(receipted);
	}

	private static void sendReceipted(RawStompClient producer, String body) throws IOException {
		producer.send(send(body, "receipt:" + body));
		Frame answer = producer.receive(Duration.ofSeconds(30));
		assertThat(answer.command()).as("answer to %s: %s", body, answer).isEqualTo("RECEIPT");
		assertThat(answer.header("receipt-id")).isEqualTo(body);
	}

	private static String send(String body, String header) {
		return "SEND\ndestination:" + QUEUE + "\npersistent:true\n" + header + "\n\n" + body + "\0";
	}

	/**
	 * The test needs Linux and util-linux's {@code prlimit} acting on another process
	 * (root, or the same user with CAP_SYS_RESOURCE for raising the limit again).
	 */
	private static void assumePrlimitWorks(long pid) throws Exception {
		Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
				"RLIMIT_FSIZE via prlimit is Linux only");
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")),
				"prlimit (util-linux) is not installed: cannot make the broker's disk 'full'");
		Assumptions.assumeTrue(run("prlimit", "--pid", Long.toString(pid), "--fsize=unlimited:unlimited") == 0,
				"prlimit cannot change the broker process's file size limit here");
	}

	private static void prlimit(long pid, String limits) throws Exception {
		assertThat(run("prlimit", "--pid", Long.toString(pid), "--fsize=" + limits)).as("prlimit --fsize=%s", limits)
			.isZero();
	}

	private static int run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

}
