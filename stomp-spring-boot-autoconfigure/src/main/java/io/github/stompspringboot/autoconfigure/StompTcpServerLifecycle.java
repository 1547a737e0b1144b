package io.github.stompspringboot.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import io.github.stompspringboot.transport.tcp.StompTcpServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	StompTcpServerLifecycle(StompTcpServer server, ConfigurableApplicationContext context) {
		this(server, context, PORT_PROPERTY, "TCP");
	}

	/**
	 * @param portProperty where to publish the port the server got
	 * @param description how the log names the listener ("TCP", "TLS")
	 */
	StompTcpServerLifecycle(StompTcpServer server, ConfigurableApplicationContext context, String portProperty,
			String description) {
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
