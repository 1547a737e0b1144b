package io.github.stompspringboot.broker;

/**
 * Which messages a subscription wants, from the {@code selector} header of its SUBSCRIBE:
 * a JMS (SQL-92) condition on the message's headers such as {@code location = 'Europe'}
 * or {@code priority > 3 AND type IN ('order', 'refund')}.
 * <p>
 * STOMP header values are strings. A header compared with a number, or used in
 * arithmetic, is read as a number when it parses as one (as ActiveMQ does for STOMP with
 * {@code convertStringExpressions}), and the comparison is false when it does not;
 * compared with a string, a header is compared as the string it is.
 */
public interface MessageSelector {

	/**
	 * Whether the message satisfies the condition; a header the message lacks is SQL
	 * NULL.
	 */
	boolean matches(BrokerMessage message);

	/** The selector as the client wrote it. */
	String expression();

	/**
	 * Parses a selector.
	 * @throws InvalidSelectorException if the text is not a valid selector
	 */
	static MessageSelector parse(String expression) {
		return ArtemisMessageSelector.parse(expression);
	}

	/** A selector that cannot be parsed. */
	final class InvalidSelectorException extends RuntimeException {

		public InvalidSelectorException(String expression, String reason) {
			super("Invalid selector \"" + expression + "\": " + reason);
		}

	}

}
