package io.github.stompspringboot.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
	 * In the forked JVM: starts one application and serves the benchmark's commands
	 * ({@link ForkedBroker#serve}) until the benchmark is done with it.
	 */
	public static void main(String[] args) throws IOException {
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
		ForkedBroker.serve(Integer.parseInt(context.getEnvironment().getProperty("local.stomp.port")),
				Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1")),
				observed ? "Boot app, Actuator + Prometheus" : "Boot app, no Actuator");
		context.close();
		System.exit(0); // the benchmark is done with it; pool threads must not keep it
						// alive
	}

	static TcpBroker plain(List<String> jvmArgs) throws IOException {
		return fork(PLAIN, jvmArgs);
	}

	static TcpBroker observed(List<String> jvmArgs) throws IOException {
		return fork(OBSERVED, jvmArgs);
	}

	private static TcpBroker fork(String mode, List<String> jvmArgs) throws IOException {
		ForkedBroker application = ForkedBroker.fork(jvmArgs, OperationsWorkloads.class.getName(), List.of(mode));
		Scraper scraper = (application.httpPort() > 0)
				? new Scraper(URI.create("http://127.0.0.1:" + application.httpPort() + "/actuator/prometheus")) : null;
		if (scraper == null) {
			return application;
		}
		scraper.start();
		return new TcpBroker() {

			@Override
			public String name() {
				return application.name();
			}

			@Override
			public int port() {
				return application.port();
			}

			@Override
			public Meter startMeter() throws IOException {
				return application.startMeter();
			}

			@Override
			public void close() throws Exception {
				scraper.stopAndJoin();
				application.close();
			}

		};
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
