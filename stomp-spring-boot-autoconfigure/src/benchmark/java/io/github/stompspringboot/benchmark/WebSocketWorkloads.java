package io.github.stompspringboot.benchmark;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * Browser sessions over WebSocket: one Boot application, started twice in this JVM, once
 * with the starter (Spring's relay to the embedded engine through the in-JVM link) and
 * once on Spring's simple broker ({@code stomp.websocket.enabled=false},
 * {@code stomp.broker.enabled=false} and a configurer with {@code enableSimpleBroker},
 * the same endpoint, prefixes and ordering options the starter sets). Both are driven by
 * Spring's {@link WebSocketStompClient} over {@link StandardWebSocketClient} on loopback.
 */
final class WebSocketWorkloads {

	static final String ECHO_TOPIC = "/topic/echo";

	private WebSocketWorkloads() {
	}

	/** One running application and what the workloads need of it. */
	static final class App implements AutoCloseable {

		private final String name;

		private final ConfigurableApplicationContext context;

		private final int port;

		private App(String name, ConfigurableApplicationContext context) {
			this.name = name;
			this.context = context;
			this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
		}

		String name() {
			return this.name;
		}

		SimpMessagingTemplate template() {
			return this.context.getBean(SimpMessagingTemplate.class);
		}

		String url() {
			return "ws://127.0.0.1:" + this.port + "/stomp";
		}

		/** WebSocket straight to the broker's TCP port, when the application has it. */
		String brokerPortUrl() {
			return "ws://127.0.0.1:" + this.context.getEnvironment().getRequiredProperty("local.stomp.port") + "/stomp";
		}

		/** The broker's TCP port, when its listener runs. */
		int tcpPort() {
			return this.context.getEnvironment().getRequiredProperty("local.stomp.port", Integer.class);
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

	/** The starter as an application gets it: nothing configured but the ports. */
	static App starter() {
		return new App("stomp-spring-boot",
				new SpringApplicationBuilder(BenchmarkApplication.class).properties(common())
					.properties("stomp.broker.tcp.enabled=false")
					.run());
	}

	/** The starter with its TCP port on, which serves WebSocket too. */
	static App starterWithBrokerPort() {
		return new App("stomp-spring-boot",
				new SpringApplicationBuilder(BenchmarkApplication.class).properties(common())
					.properties("stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0")
					.run());
	}

	/**
	 * The starter with its TCP listener too, so TCP clients reach the same controllers as
	 * browsers.
	 */
	static App starterWithTcp() {
		return starterWithTcp(true);
	}

	/**
	 * @param bridge whether TCP clients reach the application
	 * ({@code stomp.websocket.tcp-clients.enabled})
	 */
	static App starterWithTcp(boolean bridge) {
		return new App(bridge ? "TCP bridge on" : "TCP bridge off",
				new SpringApplicationBuilder(BenchmarkApplication.class).properties(common())
					.properties("stomp.broker.tcp.port=0", "stomp.broker.tcp.host=127.0.0.1",
							"stomp.websocket.tcp-clients.enabled=" + bridge)
					.run());
	}

	/**
	 * Round trips of one TCP client (a raw socket, as telnet would): SEND to /app/echo,
	 * the controller's reply on /topic/echo, one at a time, like {@link #roundTrips} does
	 * for a browser.
	 */
	static RoundTrips tcpRoundTrips(App app, int count, long limitNanos) throws Exception {
		return tcpRoundTrips(app, "/app/echo", ECHO_TOPIC, count, limitNanos);
	}

	/**
	 * Round trips of one TCP client to itself through a broker topic: the path of broker
	 * destinations, which the bridge must not slow down.
	 */
	static RoundTrips tcpBrokerRoundTrips(App app, int count, long limitNanos) throws Exception {
		return tcpRoundTrips(app, "/topic/direct", "/topic/direct", count, limitNanos);
	}

	private static RoundTrips tcpRoundTrips(App app, String sendTo, String replyOn, int count, long limitNanos)
			throws Exception {
		try (LoadClient client = new LoadClient(app.tcpPort())) {
			client.subscribe(replyOn, "echo", "auto");
			BlockingQueue<String> replies = new ArrayBlockingQueue<>(16);
			client.startReader("tcp-echo-reader", (frame) -> {
				if ("MESSAGE".equals(frame.command)) {
					replies.offer(new String(frame.body, 0, frame.bodyLength, java.nio.charset.StandardCharsets.UTF_8));
				}
				else {
					replies.offer("unexpected " + frame);
				}
			});
			String body = "x".repeat(TcpWorkloads.BODY_SIZE);
			byte[] send = ("SEND\ndestination:" + sendTo + "\ncontent-type:text/plain\n\n" + body + "\0")
				.getBytes(java.nio.charset.StandardCharsets.UTF_8);
			client.write(send);
			client.flush();
			if (replies.poll(10, TimeUnit.SECONDS) == null) {
				return new RoundTrips(0, new long[0], "no echo within 10 s");
			}
			long[] nanos = new long[count];
			int done = 0;
			String error = null;
			long start = System.nanoTime();
			long deadline = start + limitNanos;
			while (done < count && System.nanoTime() - deadline < 0) {
				long sent = System.nanoTime();
				client.write(send);
				client.flush();
				String reply = replies.poll(5, TimeUnit.SECONDS);
				if (reply == null || !reply.equals(body)) {
					error = (reply == null) ? "no echo within 5 s after " + done : reply;
					break;
				}
				nanos[done++] = System.nanoTime() - sent;
			}
			long elapsed = System.nanoTime() - start;
			long[] sorted = Arrays.copyOf(nanos, done);
			Arrays.sort(sorted);
			return new RoundTrips(done * 1e9 / elapsed, sorted, error);
		}
	}

	/** The same application on Spring's simple broker, the starter out of the way. */
	static App simpleBroker() {
		return new App("simple broker",
				new SpringApplicationBuilder(BenchmarkApplication.class, SimpleBrokerConfiguration.class)
					.properties(common())
					.properties("stomp.websocket.enabled=false", "stomp.broker.enabled=false")
					.run());
	}

	private static String[] common() {
		return new String[] { "server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"logging.level.root=WARN", "spring.main.log-startup-info=false" };
	}

	/**
	 * Round trips of one session: SEND to /app/echo, the controller's reply on
	 * /topic/echo.
	 */
	record RoundTrips(double perSecond, long[] sortedNanos, String error) {

		double percentileMicros(double p) {
			return new TcpWorkloads.Latency(this.sortedNanos, null).percentileMicros(p);
		}

	}

	/**
	 * One session, one request at a time: each SEND waits for its reply before the next,
	 * so the rate is the inverse of the mean round trip.
	 */
	static RoundTrips roundTrips(App app, int count, long limitNanos) throws Exception {
		try (Clients clients = new Clients(app.url(), 1)) {
			Client client = clients.get(0);
			BlockingQueue<String> replies = new ArrayBlockingQueue<>(16);
			client.session.subscribe(ECHO_TOPIC, new TextHandler((body) -> replies.offer(body)));
			// Wait until the subscription is in place: ask until an answer comes back.
			String ready = null;
			for (int i = 0; i < 100 && ready == null; i++) {
				client.session.send("/app/echo", "ready");
				ready = replies.poll(100, TimeUnit.MILLISECONDS);
			}
			if (ready == null) {
				return new RoundTrips(0, new long[0], "no echo within 10 s");
			}
			Thread.sleep(200);
			replies.clear();
			String body = "x".repeat(TcpWorkloads.BODY_SIZE);
			long[] nanos = new long[count];
			int done = 0;
			String error = null;
			long start = System.nanoTime();
			long deadline = start + limitNanos;
			while (done < count && System.nanoTime() - deadline < 0) {
				long sent = System.nanoTime();
				client.session.send("/app/echo", body);
				String reply = replies.poll(5, TimeUnit.SECONDS);
				if (reply == null) {
					error = "no echo within 5 s after " + done;
					break;
				}
				nanos[done++] = System.nanoTime() - sent;
			}
			long elapsed = System.nanoTime() - start;
			long[] sorted = Arrays.copyOf(nanos, done);
			Arrays.sort(sorted);
			return new RoundTrips(done * 1e9 / elapsed, sorted, error);
		}
	}

	/** Deliveries per second and how many arrived. */
	record Broadcast(double perSecond, long received, long nanos, String error) {

	}

	/**
	 * {@code SimpMessagingTemplate.convertAndSend} to a topic with {@code subscribers}
	 * WebSocket sessions on it, at most {@code window} messages ahead of the slowest
	 * session's share (Spring closes a WebSocket session whose send buffer overflows).
	 */
	static Broadcast broadcast(App app, String destination, int subscribers, int messages, int window, long limitNanos)
			throws Exception {
		return broadcast(app, app.url(), destination, subscribers, messages, window, limitNanos);
	}

	/**
	 * The same, with the subscribers connected to {@code url} (the servlet endpoint or
	 * the broker port).
	 */
	static Broadcast broadcast(App app, String url, String destination, int subscribers, int messages, int window,
			long limitNanos) throws Exception {
		try (Clients clients = new Clients(url, subscribers)) {
			AtomicLong received = new AtomicLong();
			AtomicLong probes = new AtomicLong();
			for (int i = 0; i < subscribers; i++) {
				clients.get(i).session.subscribe(destination, new TextHandler((body) -> {
					if (body.equals("probe")) {
						probes.incrementAndGet();
					}
					else {
						received.incrementAndGet();
					}
				}));
			}
			SimpMessagingTemplate template = app.template();
			// Every subscription in place: probe until each session got one.
			long readyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (true) {
				long before = probes.get();
				template.convertAndSend(destination, "probe");
				long probeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
				while (probes.get() - before < subscribers && System.nanoTime() - probeDeadline < 0) {
					LockSupport.parkNanos(100_000);
				}
				if (probes.get() - before == subscribers) {
					break;
				}
				if (System.nanoTime() - readyDeadline > 0) {
					return new Broadcast(0, 0, 0, "subscriptions not all in place within 10 s");
				}
			}
			Thread.sleep(200);
			String body = "x".repeat(TcpWorkloads.BODY_SIZE);
			long start = System.nanoTime();
			long deadline = start + limitNanos;
			long expected = (long) messages * subscribers;
			String error = null;
			int sent = 0;
			while (sent < messages && System.nanoTime() - deadline < 0) {
				if ((long) (sent - window) * subscribers > received.get()) {
					LockSupport.parkNanos(50_000);
					continue;
				}
				template.convertAndSend(destination, body);
				sent++;
			}
			long target = (long) sent * subscribers;
			while (received.get() < target && System.nanoTime() - deadline < 0) {
				LockSupport.parkNanos(100_000);
			}
			long elapsed = System.nanoTime() - start;
			long got = received.get();
			if (got == 0) {
				error = "nothing received of " + expected;
			}
			return new Broadcast(got * 1e9 / elapsed, got, elapsed, error);
		}
	}

	private record Client(StompSession session) {

	}

	/**
	 * WebSocket sessions of one run, each with its own STOMP client over the JSR-356
	 * client.
	 */
	private static final class Clients implements AutoCloseable {

		private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

		private final List<Client> clients = new ArrayList<>();

		Clients(String url, int count) throws Exception {
			this.scheduler.setPoolSize(1);
			this.scheduler.initialize();
			WebSocketStompClient stomp = new WebSocketStompClient(new StandardWebSocketClient());
			stomp.setMessageConverter(new StringMessageConverter());
			stomp.setTaskScheduler(this.scheduler);
			stomp.setDefaultHeartbeat(new long[] { 0, 0 });
			stomp.setInboundMessageSizeLimit(1024 * 1024);
			for (int i = 0; i < count; i++) {
				StompSession session = stomp.connectAsync(url, new WebSocketHttpHeaders(), new StompHeaders(),
						new StompSessionHandlerAdapter() {
						})
					.get(10, TimeUnit.SECONDS);
				this.clients.add(new Client(session));
			}
		}

		Client get(int index) {
			return this.clients.get(index);
		}

		@Override
		public void close() {
			for (Client client : this.clients) {
				try {
					client.session.disconnect();
				}
				catch (RuntimeException ex) {
					// already gone
				}
			}
			this.scheduler.shutdown();
		}

	}

	private record TextHandler(java.util.function.Consumer<String> consumer) implements StompFrameHandler {

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return String.class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			this.consumer.accept((String) payload);
		}

	}

	/** The application: one controller, nothing about the broker. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(EchoController.class)
	static class BenchmarkApplication {

	}

	@Controller
	static class EchoController {

		@MessageMapping("/echo")
		@SendTo(ECHO_TOPIC)
		String echo(String text) {
			return text;
		}

	}

	/**
	 * What the application would say without the starter: Spring's simple broker, the
	 * same endpoint, prefixes and ordering the starter configures.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableWebSocketMessageBroker
	static class SimpleBrokerConfiguration implements WebSocketMessageBrokerConfigurer {

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			registry.addEndpoint("/stomp");
			registry.setPreserveReceiveOrder(true);
		}

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.setApplicationDestinationPrefixes("/app");
			registry.setPreservePublishOrder(true);
			registry.enableSimpleBroker("/topic", "/queue");
		}

	}

}
