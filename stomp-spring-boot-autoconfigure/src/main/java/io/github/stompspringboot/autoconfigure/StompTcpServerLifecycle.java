package io.github.stompspringboot.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.github.stompspringboot.transport.tcp.StompTcpServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Starts and stops the TCP listener with the application context, and publishes the port
 * it got as {@code local.stomp.port}, as Boot publishes {@code local.server.port}.
 */
final class StompTcpServerLifecycle implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StompTcpServerLifecycle.class);

	static final String PORT_PROPERTY = "local.stomp.port";

	static final String SSL_PORT_PROPERTY = "local.stomp.ssl.port";

	private static final String PROPERTY_SOURCE_NAME = "stomp.ports";

	private final StompTcpServer server;

	private final ConfigurableApplicationContext context;

	private final String portProperty;

	private final String description;

	/** Boot's default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
	private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMillis(100);

	private final Duration quietPeriod;

	StompTcpServerLifecycle(StompTcpServer server, ConfigurableApplicationContext context) {
		this(server, context, PORT_PROPERTY, "TCP");
	}

	StompTcpServerLifecycle(StompTcpServer server, ConfigurableApplicationContext context, String portProperty,
			String description) {
		this(server, context, portProperty, description, DEFAULT_QUIET_PERIOD);
	}

	/**
	 * @param portProperty where to publish the port the server got
	 * @param description how the log names the listener ("TCP", "TLS")
	 * @param quietPeriod how long connections must be quiet before a shutdown ends them
	 */
	StompTcpServerLifecycle(StompTcpServer server, ConfigurableApplicationContext context, String portProperty,
			String description, Duration quietPeriod) {
		this.quietPeriod = quietPeriod;
		this.server = server;
		this.context = context;
		this.portProperty = portProperty;
		this.description = description;
	}

	@Override
	public void start() {
		this.server.start();
		publishPort(this.server.port());
		logger.info("STOMP broker accepting " + this.description + " clients on port " + this.server.port());
	}

	@Override
	public void stop() {
		this.server.stop();
	}

	/**
	 * Graceful: stop accepting at once, then (on a thread of its own, so the TCP and TLS
	 * listeners drain together) let in-flight frames finish within the shutdown phase's
	 * timeout, then send every client an ERROR and close it.
	 */
	@Override
	public void stop(Runnable callback) {
		this.server.stopAccepting();
		Duration drain = drainTimeout();
		Thread drainer = new Thread(() -> {
			try {
				if (!this.server.awaitQuiet(this.quietPeriod, drain) && logger.isInfoEnabled()) {
					logger.info("STOMP " + this.description + " clients still busy after " + drain.toMillis()
							+ " ms; closing them");
				}
				this.server.stop();
			}
			finally {
				callback.run();
			}
		}, "stomp-" + this.description.toLowerCase(Locale.ROOT) + "-shutdown");
		drainer.setDaemon(true);
		drainer.start();
	}

	/**
	 * The phase timeout ({@code spring.lifecycle.timeout-per-shutdown-phase}) less what
	 * closing the connections takes, so the listener is stopped before Spring stops
	 * waiting for it.
	 */
	private Duration drainTimeout() {
		Duration phase = Binder.get(this.context.getEnvironment())
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
		Duration margin = Duration.ofSeconds(5).compareTo(phase.dividedBy(5)) < 0 ? Duration.ofSeconds(5)
				: phase.dividedBy(5);
		return phase.minus(margin);
	}

	@Override
	public boolean isRunning() {
		return this.server.isRunning();
	}

	@SuppressWarnings("unchecked")
	private void publishPort(int port) {
		MutablePropertySources sources = this.context.getEnvironment().getPropertySources();
		PropertySource<?> source = sources.get(PROPERTY_SOURCE_NAME);
		if (source == null) {
			source = new MapPropertySource(PROPERTY_SOURCE_NAME, new HashMap<>());
			sources.addFirst(source);
		}
		((Map<String, Object>) source.getSource()).put(this.portProperty, port);
	}

}
