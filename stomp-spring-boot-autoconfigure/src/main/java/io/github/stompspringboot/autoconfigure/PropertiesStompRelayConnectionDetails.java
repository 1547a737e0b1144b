package io.github.stompspringboot.autoconfigure;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/** {@link StompRelayConnectionDetails} read from {@code stomp.broker.relay.*}. */
final class PropertiesStompRelayConnectionDetails implements StompRelayConnectionDetails {

	private static final String ADDRESSES_PROPERTY = "stomp.broker.relay.addresses";

	private final StompBrokerProperties.Relay relay;

	private final ObjectProvider<SslBundles> sslBundles;

	private final List<Address> addresses;

	PropertiesStompRelayConnectionDetails(StompBrokerProperties.Relay relay, ObjectProvider<SslBundles> sslBundles) {
		this.relay = relay;
		this.sslBundles = sslBundles;
		this.addresses = (relay.getAddresses() == null || relay.getAddresses().isEmpty())
				? List.of(new Address(relay.getHost(), relay.getPort()))
				: relay.getAddresses().stream().map((address) -> parse(address, relay.getPort())).toList();
	}

	/** {@code host:port}, {@code [ipv6]:port}, or a host alone on the default port. */
	static Address parse(String address, int defaultPort) {
		String text = (address != null) ? address.strip() : "";
		String host = text;
		String port = null;
		if (text.startsWith("[")) {
			int end = text.indexOf(']');
			if (end < 0 || (end + 1 < text.length() && text.charAt(end + 1) != ':')) {
				throw invalid(address, "an IPv6 address goes in brackets: [::1]:61613");
			}
			host = text.substring(1, end);
			port = (end + 1 < text.length()) ? text.substring(end + 2) : null;
		}
		else if (text.indexOf(':') >= 0) {
			if (text.indexOf(':') != text.lastIndexOf(':')) {
				throw invalid(address, "an IPv6 address goes in brackets: [::1]:61613");
			}
			host = text.substring(0, text.indexOf(':'));
			port = text.substring(text.indexOf(':') + 1);
		}
		if (!StringUtils.hasText(host)) {
			throw invalid(address, "expected host:port, such as rabbit-1:61613");
		}
		if (port == null) {
			return new Address(host, defaultPort);
		}
		try {
			int number = Integer.parseInt(port);
			if (number < 1 || number > 65535) {
				throw invalid(address, "the port must be between 1 and 65535");
			}
			return new Address(host, number);
		}
		catch (NumberFormatException ex) {
			throw invalid(address, "expected host:port, such as rabbit-1:61613");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String address, String reason) {
		return new InvalidConfigurationPropertyValueException(ADDRESSES_PROPERTY, address, reason);
	}

	@Override
	public String getHost() {
		return this.addresses.get(0).host();
	}

	@Override
	public int getPort() {
		return this.addresses.get(0).port();
	}

	@Override
	public List<Address> getAddresses() {
		return this.addresses;
	}

	@Override
	public String getLogin() {
		return this.relay.getLogin();
	}

	@Override
	public String getPasscode() {
		return this.relay.getPasscode();
	}

	@Override
	public String getSystemLogin() {
		return this.relay.getSystemLogin();
	}

	@Override
	public String getSystemPasscode() {
		return this.relay.getSystemPasscode();
	}

	@Override
	public String getVirtualHost() {
		return this.relay.getVirtualHost();
	}

	@Override
	public SslBundle getSslBundle() {
		String bundle = this.relay.getSsl().getBundle();
		return StringUtils.hasText(bundle) ? this.sslBundles.getObject().getBundle(bundle) : null;
	}

}
