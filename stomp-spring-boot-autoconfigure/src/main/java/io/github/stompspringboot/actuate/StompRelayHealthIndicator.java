package io.github.stompspringboot.actuate;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationListener;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;

/**
 * Relay mode's health: UP while Spring's STOMP relay reports its external broker
 * available ({@link BrokerAvailabilityEvent}), DOWN before the first report and after it
 * is lost.
 */
public class StompRelayHealthIndicator extends AbstractHealthIndicator
		implements ApplicationListener<BrokerAvailabilityEvent> {

	private final String relayAddress;

	private volatile boolean available;

	private volatile boolean reported;

	public StompRelayHealthIndicator(String relayAddress) {
		super("STOMP relay health check failed");
		this.relayAddress = relayAddress;
	}

	@Override
	public void onApplicationEvent(BrokerAvailabilityEvent event) {
		this.available = event.isBrokerAvailable();
		this.reported = true;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.status(this.available ? "UP" : "DOWN")
			.withDetail("mode", "relay")
			.withDetail("relay", this.relayAddress);
		if (!this.reported) {
			builder.withDetail("reason", "the relay has not connected to the broker yet");
		}
	}

}
