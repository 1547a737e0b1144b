package io.github.stompspringboot.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.stompspringboot.actuate.StompBrokerHealthIndicator;
import io.github.stompspringboot.broker.store.JournalMessageStore;
import org.springframework.boot.health.contributor.Health;

/**
 * A broker in a JVM of its own, for tests that kill it:
 * {@code StandaloneBroker <storeDir> [fsync]} starts the engine and TCP server on a free
 * loopback port with a durable store in the directory, prints {@code PORT <n>} on
 * standard output once it accepts connections, answers {@code health} on standard input
 * with its health indicator's {@code HEALTH <status> <store details>}, and runs until
 * killed. Started by {@link StandaloneBrokerProcess}.
 */
public final class StandaloneBroker {

	private StandaloneBroker() {
	}

	public static void main(String[] args) throws Exception {
		Path storeDir = Path.of(args[0]);
		boolean fsync = args.length > 1 && Boolean.parseBoolean(args[1]);
		EmbeddedBroker broker = EmbeddedBroker.start(new JournalMessageStore(storeDir, fsync), (settings) -> {
			settings.setHeartbeatSend(java.time.Duration.ZERO);
			settings.setHeartbeatReceive(java.time.Duration.ZERO);
		});
		Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
		System.out.println("PORT " + broker.port());
		System.out.flush();
		// "health" on standard input: the broker's health indicator answers on standard
		// output, as "HEALTH <status> <details>"
		StompBrokerHealthIndicator health = new StompBrokerHealthIndicator(broker.broker(), Map.of());
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.trim().equals("health")) {
				Health result = health.health();
				System.out.println("HEALTH " + result.getStatus() + " " + result.getDetails().get("store"));
				System.out.flush();
			}
		}
		new CountDownLatch(1).await();
	}

}
