package io.github.stompspringboot.autoconfigure;

/** {@link StompRelayConnectionDetails} read from {@code stomp.broker.relay.*}. */
final class PropertiesStompRelayConnectionDetails implements StompRelayConnectionDetails {

	private final StompBrokerProperties.Relay relay;

	PropertiesStompRelayConnectionDetails(StompBrokerProperties.Relay relay) {
		this.relay = relay;
	}

	@Override
	public String getHost() {
		return this.relay.getHost();
	}

	@Override
	public int getPort() {
		return this.relay.getPort();
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

}
