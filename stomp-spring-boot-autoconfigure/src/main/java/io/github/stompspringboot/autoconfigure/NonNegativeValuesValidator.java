package io.github.stompspringboot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Rejects a negative number, size or duration anywhere in a {@code stomp.*} properties
 * object, walking its nested groups and maps, so a property added later is checked too.
 * Boot reports a rejected value with its property, value and origin (a
 * {@code BindValidationException} and its failure analysis) before any bean uses it. Only
 * the properties named in {@link #MINUS_ONE_ALLOWED} may be -1, which they document.
 */
final class NonNegativeValuesValidator implements Validator {

	/**
	 * Last name segments where -1 is a documented value (a port turned off, redeliver
	 * forever).
	 */
	static final Set<String> MINUS_ONE_ALLOWED = Set.of("port", "max-redeliveries");

	private final Class<?> root;

	NonNegativeValuesValidator(Class<?> root) {
		this.root = root;
	}

	@Override
	public boolean supports(Class<?> type) {
		return this.root.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		validate(target, "", errors, 0);
	}

	private void validate(Object target, String path, Errors errors, int depth) {
		if (depth > 8) { // property groups nest two or three deep; never loop on a cycle
			return;
		}
		BeanWrapper wrapper = new BeanWrapperImpl(target);
		for (PropertyDescriptor descriptor : wrapper.getPropertyDescriptors()) {
			if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
				continue;
			}
			String name = path + DataObjectPropertyName.toDashedForm(descriptor.getName());
			check(wrapper.getPropertyValue(descriptor.getName()), name, errors, depth);
		}
	}

	private void check(Object value, String name, Errors errors, int depth) {
		if (value == null) {
			return;
		}
		if (isNegative(value) && !(isMinusOne(value) && MINUS_ONE_ALLOWED.contains(lastSegment(name)))) {
			errors.rejectValue(name, "negative", "must not be negative; set it to 0 or more"
					+ (MINUS_ONE_ALLOWED.contains(lastSegment(name)) ? " (or -1)" : ""));
		}
		else if (value instanceof Map<?, ?> map) {
			map.forEach((key, entry) -> check(entry, name + "[" + key + "]", errors, depth + 1));
		}
		else if (isPropertyGroup(value.getClass())) {
			validate(value, name + ".", errors, depth + 1);
		}
	}

	/**
	 * Nested groups are the root's own nested classes, or classes in the root's package.
	 */
	private boolean isPropertyGroup(Class<?> type) {
		return !type.isEnum() && type.getPackageName().equals(this.root.getPackageName());
	}

	private static boolean isNegative(Object value) {
		if (value instanceof Number number) {
			return number.doubleValue() < 0;
		}
		if (value instanceof Duration duration) {
			return duration.isNegative();
		}
		return (value instanceof DataSize size) && size.isNegative();
	}

	private static boolean isMinusOne(Object value) {
		return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() == -1;
	}

	private static String lastSegment(String name) {
		return name.substring(name.lastIndexOf('.') + 1);
	}

}
