package io.github.stompspringboot.broker;

import java.lang.reflect.Field;
import java.util.List;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.selector.filter.ArithmeticExpression;
import org.apache.activemq.artemis.selector.filter.BinaryExpression;
import org.apache.activemq.artemis.selector.filter.BooleanExpression;
import org.apache.activemq.artemis.selector.filter.ComparisonExpression;
import org.apache.activemq.artemis.selector.filter.ConstantExpression;
import org.apache.activemq.artemis.selector.filter.Expression;
import org.apache.activemq.artemis.selector.filter.FilterException;
import org.apache.activemq.artemis.selector.filter.LogicExpression;
import org.apache.activemq.artemis.selector.filter.Filterable;
import org.apache.activemq.artemis.selector.filter.PropertyExpression;
import org.apache.activemq.artemis.selector.filter.UnaryExpression;
import org.apache.activemq.artemis.selector.impl.SelectorParser;

/**
 * {@link MessageSelector} on Apache Artemis's standalone selector parser. After parsing,
 * the expression tree is rewritten so that a header compared with a numeric literal or
 * used in arithmetic reads as a number: STOMP carries every header as a string, and a
 * selector such as {@code price > 10} would otherwise never match.
 */
final class ArtemisMessageSelector implements MessageSelector {

	private static final Field LOGIC_OPERANDS = logicOperandsField();

	private final String expression;

	private final BooleanExpression condition;

	private ArtemisMessageSelector(String expression, BooleanExpression condition) {
		this.expression = expression;
		this.condition = condition;
	}

	static ArtemisMessageSelector parse(String expression) {
		BooleanExpression condition;
		try {
			condition = SelectorParser.parse(expression);
		}
		catch (FilterException ex) {
			throw new MessageSelector.InvalidSelectorException(expression, reason(ex));
		}
		catch (RuntimeException ex) {
			throw new MessageSelector.InvalidSelectorException(expression, "it could not be parsed");
		}
		if (condition == null) {
			throw new MessageSelector.InvalidSelectorException(expression, "it is empty");
		}
		numericOperands(condition);
		return new ArtemisMessageSelector(expression, condition);
	}

	private static String reason(FilterException ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		String text = cause.getMessage();
		if (text == null) {
			return "it could not be parsed";
		}
		int newline = text.indexOf('\n');
		return (newline > 0) ? text.substring(0, newline) : text;
	}

	@Override
	public boolean matches(BrokerMessage message) {
		try {
			return this.condition.matches(new HeaderView(message));
		}
		catch (FilterException | RuntimeException ex) {
			return false;
		}
	}

	@Override
	public String expression() {
		return this.expression;
	}

	@Override
	public String toString() {
		return this.expression;
	}

	/** Replaces header operands of numeric comparisons and arithmetic by numeric ones. */
	private static void numericOperands(Expression expression) {
		if (expression instanceof BinaryExpression binary) {
			boolean numeric = binary instanceof ArithmeticExpression || (binary instanceof ComparisonExpression
					&& (isNumeric(binary.getLeft()) || isNumeric(binary.getRight())));
			if (numeric && binary.getLeft() instanceof PropertyExpression property) {
				binary.setLeft(new NumericHeaderExpression(property.getName()));
			}
			if (numeric && binary.getRight() instanceof PropertyExpression property) {
				binary.setRight(new NumericHeaderExpression(property.getName()));
			}
			numericOperands(binary.getLeft());
			numericOperands(binary.getRight());
		}
		else if (expression instanceof LogicExpression logic) {
			for (Expression operand : operands(logic)) {
				numericOperands(operand);
			}
		}
		else if (expression instanceof UnaryExpression unary) {
			if ("-".equals(unary.getExpressionSymbol()) && unary.getRight() instanceof PropertyExpression property) {
				unary.setRight(new NumericHeaderExpression(property.getName()));
			}
			numericOperands(unary.getRight());
		}
	}

	/**
	 * The operands of an AND or OR. Artemis flattens {@code a AND b AND c} into one node
	 * and exposes only two of its operands, so the list is read from its (protected)
	 * field.
	 */
	@SuppressWarnings("unchecked")
	private static List<Expression> operands(LogicExpression logic) {
		if (LOGIC_OPERANDS != null) {
			try {
				return (List<Expression>) LOGIC_OPERANDS.get(logic);
			}
			catch (IllegalAccessException ex) {
				// fall back to the two the API exposes
			}
		}
		try {
			return List.of(logic.getLeft(), logic.getRight());
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

	private static Field logicOperandsField() {
		try {
			Field field = LogicExpression.class.getDeclaredField("expressions");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private static boolean isNumeric(Expression expression) {
		return (expression instanceof ConstantExpression constant && constant.getValue() instanceof Number)
				|| expression instanceof ArithmeticExpression || expression instanceof NumericHeaderExpression
				|| (expression instanceof UnaryExpression unary && "-".equals(unary.getExpressionSymbol()));
	}

	/** A header read as a long, or a double, or SQL NULL when it is not a number. */
	private static final class NumericHeaderExpression extends PropertyExpression {

		NumericHeaderExpression(String name) {
			super(name);
		}

		@Override
		public Object evaluate(Filterable message) throws FilterException {
			Object value = super.evaluate(message);
			if (!(value instanceof String text)) {
				return value;
			}
			String trimmed = text.trim();
			try {
				return Long.valueOf(trimmed);
			}
			catch (NumberFormatException ex) {
				try {
					return Double.valueOf(trimmed);
				}
				catch (NumberFormatException notNumber) {
					return null;
				}
			}
		}

	}

	/** The message's headers as the selector's properties. */
	private record HeaderView(BrokerMessage message) implements Filterable {

		@Override
		public Object getProperty(SimpleString name) {
			return this.message.header(name.toString());
		}

		@Override
		public <T> T getBodyAs(Class<T> type) {
			return null;
		}

		@Override
		public Object getLocalConnectionId() {
			return null;
		}

	}

}
