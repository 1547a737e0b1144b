package io.github.stompspringboot.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a broker started as another process, which binds them seconds later.
 * A port the kernel handed out for port 0 lies in the ephemeral range, where any outgoing
 * connection in the meantime (the test's own, or the nodes' connections to each other and
 * to their port mapper) may take it: RabbitMQ then fails with eaddrinuse. Ports below
 * that range are never given to outgoing connections, so only a process that binds them
 * on purpose can take them; each is checked free, and none is handed out twice by this
 * JVM.
 */
public final class ExternalProcessPorts {

	private static final int LOWEST = 10_000;

	private static final int ATTEMPTS = 1_000;

	private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

	private ExternalProcessPorts() {
	}

	public static int next() throws IOException {
		int highest = ephemeralRangeStart() - 1;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
			if (HANDED_OUT.add(port) && isFree(port)) {
				return port;
			}
		}
		throw new IllegalStateException("No free loopback port between " + LOWEST + " and " + highest);
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Linux's ip_local_port_range; elsewhere IANA's dynamic range, 49152. */
	private static int ephemeralRangeStart() {
		try {
			String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
			return Math.max(LOWEST + 1_000, Integer.parseInt(range.split("\\s+")[0]));
		}
		catch (IOException | RuntimeException ex) {
			return 49_152;
		}
	}

}
