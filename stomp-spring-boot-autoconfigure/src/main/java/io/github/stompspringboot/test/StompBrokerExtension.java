package io.github.stompspringboot.test;

import java.io.IOException;
import java.util.function.Consumer;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.StompBroker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs a {@link StompTestBroker} for tests without a Spring
 * context.
 * <p>
 * On an instance field every test gets a fresh broker; on a static field the test class
 * shares one:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * final StompBrokerExtension broker = new StompBrokerExtension()
 *     .settings(s -&gt; s.addDestinationOverride("/queue/**", (queue) -&gt; queue.withMaxRedeliveries(1)));
 *
 * &#64;Test
 * void redelivers() throws Exception {
 *     try (StompTestClient client = broker.client().connect()) { ... }
 * }
 * </pre>
 *
 * Or declaratively, with {@link EmbeddedStompBroker} on the class and a
 * {@link StompTestBroker} parameter on the test method.
 */
public class StompBrokerExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private Consumer<BrokerSettings> settings = (settings) -> {
	};

	private @Nullable StompTestBroker broker;

	private boolean perClass;

	/** The class-level context that started the shared broker. */
	private @Nullable String startedBy;

	/** The engine's settings for every broker this extension starts. */
	public StompBrokerExtension settings(Consumer<BrokerSettings> settings) {
		this.settings = settings;
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		// Only called for a static field or the annotation; the annotation (also on an
		// enclosing class, for @Nested tests) asks for a broker per test, a static field
		// for one per class.
		this.perClass = !context.getTestClass().map(StompBrokerExtension::annotated).orElse(false);
		if (this.perClass && this.broker == null) {
			this.startedBy = context.getUniqueId();
			this.broker = StompTestBroker.start(this.settings);
		}
	}

	private static boolean annotated(Class<?> testClass) {
		for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
			if (type.isAnnotationPresent(EmbeddedStompBroker.class)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (!this.perClass || this.broker == null) {
			stop();
			this.broker = StompTestBroker.start(this.settings);
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (!this.perClass) {
			stop();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// A @Nested class inherits a static field's extension: only the class that
		// started the broker stops it.
		if (context.getUniqueId().equals(this.startedBy)) {
			stop();
			this.startedBy = null;
		}
	}

	private void stop() {
		if (this.broker != null) {
			this.broker.close();
			this.broker = null;
		}
	}

	/** The running broker. */
	public StompTestBroker get() {
		if (this.broker == null) {
			throw new IllegalStateException("No broker is running outside a test");
		}
		return this.broker;
	}

	/** The running broker's TCP port on 127.0.0.1. */
	public int port() {
		return get().port();
	}

	/** The running broker's engine. */
	public StompBroker broker() {
		return get().broker();
	}

	/** A client of the running broker, not yet connected. */
	public StompTestClient client() throws IOException {
		return get().client();
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == StompTestBroker.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return get();
	}

}
