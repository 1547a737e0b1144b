package io.github.stompspringboot.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.stompspringboot.autoconfigure.StompBrokerAutoConfiguration;
import io.github.stompspringboot.autoconfigure.StompBrokerSecurityAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * (ops) What operations cost the hot path: the broker as a Boot application without
 * Actuator (only the broker's auto-configuration) and with everything a user turns on to
 * watch it (Actuator, the Prometheus registry with the stomp.broker.* meters, the stomp
 * endpoint and health), scraped once a second as a busy Prometheus would. Each runs in a
 * JVM of its own (forked with this one's class path and the same heap), so what the "on"
 * application spends on meters and scrapes is charged to it alone; the scraper, like a
 * Prometheus server, is in the benchmark's JVM. Both run the same engine, whose LongAdder
 * counters are always there.
 */
final class OperationsWorkloads {

	private static final String PLAIN = "plain";

	private static final String OBSERVED = "observed";

	private OperationsWorkloads() {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ StompBrokerSecurityAutoConfiguration.class, StompBrokerAutoConfiguration.class })
	static class PlainApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ObservedApplication {

	}

	/**
	 * In the forked JVM: starts one application and prints "PORTS <stomp> <http>" once it
	 * listens.
	 */
	public static void main(String[] args) {
		boolean observed = OBSERVED.equals(args[0]);
		SpringApplicationBuilder builder = observed
				? new SpringApplicationBuilder(ObservedApplication.class).web(WebApplicationType.SERVLET)
					.properties("server.address=127.0.0.1", "server.port=0", "stomp.websocket.enabled=false",
							"management.endpoints.web.exposure.include=health,stomp,prometheus",
							"management.endpoint.health.show-details=always")
				: new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE);
		ConfigurableApplicationContext context = builder
			.properties("spring.main.banner-mode=off", "stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0")
			.run();
		System.out.println("PORTS " + context.getEnvironment().getProperty("local.stomp.port") + " "
				+ context.getEnvironment().getProperty("local.server.port", "-1"));
		System.out.flush();
	}

	static TcpBroker plain(List<String> jvmArgs) throws IOException {
		return fork("Boot app, no Actuator", PLAIN, jvmArgs);
	}

	static TcpBroker observed(List<String> jvmArgs) throws IOException {
		return fork("Boot app, Actuator + Prometheus", OBSERVED, jvmArgs);
	}

	private static TcpBroker fork(String name, String mode, List<String> jvmArgs) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArgs);
		command
			.addAll(List.of("-cp", System.getProperty("java.class.path"), OperationsWorkloads.class.getName(), mode));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader out = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		String[] ports;
		try {
			ports = CompletableFuture.supplyAsync(() -> readPorts(out)).get(120, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
			throw new IOException(name + " did not start within 120 s", ex);
		}
		// keep draining its output so the child never blocks on a full pipe
		Thread drain = new Thread(() -> readPorts(out), "drain-" + mode);
		drain.setDaemon(true);
		drain.start();
		int stompPort = Integer.parseInt(ports[0]);
		int httpPort = Integer.parseInt(ports[1]);
		Scraper scraper = (httpPort > 0)
				? new Scraper(URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus")) : null;
		if (scraper != null) {
			scraper.start();
		}
		return new TcpBroker() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public int port() {
				return stompPort;
			}

			@Override
			public void close() throws Exception {
				if (scraper != null) {
					scraper.stopAndJoin();
				}
				process.destroy();
				if (!process.waitFor(30, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}

		};
	}

	/**
	 * Reads the child's output up to its PORTS line (or to its end) and returns the
	 * ports.
	 */
	private static String[] readPorts(BufferedReader out) {
		try {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.startsWith("PORTS ")) {
					return line.substring(6).trim().split(" ");
				}
			}
			return null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Reads /actuator/prometheus every second on a thread of its own, as a Prometheus
	 * server would.
	 */
	static final class Scraper extends Thread {

		private final URI uri;

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

		private final AtomicLong scrapes = new AtomicLong();

		private volatile boolean running = true;

		Scraper(URI uri) {
			super("prometheus-scraper");
			this.uri = uri;
			setDaemon(true);
		}

		@Override
		public void run() {
			while (this.running) {
				try {
					HttpResponse<String> response = this.http.send(
							HttpRequest.newBuilder(this.uri).timeout(Duration.ofSeconds(5)).build(),
							HttpResponse.BodyHandlers.ofString());
					if (response.statusCode() != 200 || !response.body().contains("stomp_broker_connections")) {
						throw new IllegalStateException("Scrape answered " + response.statusCode());
					}
					this.scrapes.incrementAndGet();
					Thread.sleep(1000);
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					System.out.println("Scrape failed: " + ex);
					return;
				}
			}
		}

		long scrapes() {
			return this.scrapes.get();
		}

		void stopAndJoin() throws InterruptedException {
			this.running = false;
			interrupt();
			join(5000);
			System.out.println("Prometheus scrapes during the run: " + this.scrapes());
		}

	}

}
