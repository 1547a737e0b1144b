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

	private static final String PROPERTY_SOURCE_NAME = "stomp.ports";

	private final StompTcpServer server;

	private final ConfigurableApplicationContext context;

	StompTcpServerLifecycle(StompTcpServer server, ConfigurableApplicationContext context) {
		this.server = server;
		this.context = context;
	}

	@Override
	public void start() {
		this.server.start();
		publishPort(this.server.port());
		logger.info("STOMP broker accepting TCP clients on port " + this.server.port());
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
		((Map<String, Object>) source.getSource()).put(PORT_PROPERTY, port);
	}

}
