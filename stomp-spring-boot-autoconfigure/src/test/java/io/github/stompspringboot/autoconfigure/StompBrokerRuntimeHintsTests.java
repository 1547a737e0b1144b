package io.github.stompspringboot.autoconfigure;

import org.apache.activemq.artemis.selector.filter.LogicExpression;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;

import static org.assertj.core.api.Assertions.assertThat;

/** A native image may read what the selector adapter reads reflectively. */
class StompBrokerRuntimeHintsTests {

	@Test
	void selectorAdaptersPrivateFieldMayBeRead() throws Exception {
		RuntimeHints hints = new RuntimeHints();
		new StompBrokerRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(LogicExpression.class.getDeclaredField("expressions"))).accepts(hints);
		assertThat(StompBrokerRuntimeHints.LOGIC_EXPRESSION).isEqualTo(LogicExpression.class.getName());
	}

	@Test
	void theAutoConfigurationImportsTheHints() {
		assertThat(StompBrokerAutoConfiguration.class.getAnnotation(ImportRuntimeHints.class).value())
			.containsExactly(StompBrokerRuntimeHints.class);
	}

}
