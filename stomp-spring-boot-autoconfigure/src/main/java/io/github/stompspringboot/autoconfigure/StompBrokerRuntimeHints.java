package io.github.stompspringboot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The reflection the broker does, declared for a GraalVM native image: the selector
 * adapter ({@code ArtemisMessageSelector}) reads the operand list of Artemis's
 * {@code LogicExpression}, a private field, to rewrite numeric comparisons. Named by
 * string: this package does not depend on Artemis.
 */
class StompBrokerRuntimeHints implements RuntimeHintsRegistrar {

	static final String LOGIC_EXPRESSION = "org.apache.activemq.artemis.selector.filter.LogicExpression";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(TypeReference.of(LOGIC_EXPRESSION),
					(type) -> type.withField("expressions").withMembers(MemberCategory.ACCESS_DECLARED_FIELDS));
	}

}
