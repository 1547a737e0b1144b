package io.github.stompspringboot.autoconfigure;

/**
 * A {@code stomp.*} property whose value only proves wrong when the broker is built (a
 * named SSL bundle that does not exist, a size the engine cannot hold): it carries the
 * property, the value and what to do, for {@link InvalidStompPropertyFailureAnalyzer}.
 */
public class InvalidStompPropertyException extends IllegalArgumentException {

	private final String property;

	private final Object value;

	private final String reason;

	private final String action;

	public InvalidStompPropertyException(String property, Object value, String reason, String action, Throwable cause) {
		super("'" + property + "' is " + value + "; " + reason, cause);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	public String getProperty() {
		return this.property;
	}

	public Object getValue() {
		return this.value;
	}

	public String getReason() {
		return this.reason;
	}

	public String getAction() {
		return this.action;
	}

}
