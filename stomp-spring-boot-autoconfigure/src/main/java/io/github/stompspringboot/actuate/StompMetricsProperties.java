package io.github.stompspringboot.actuate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Micrometer meters of the embedded broker ({@code stomp.metrics.*}). */
@ConfigurationProperties("stomp.metrics")
public class StompMetricsProperties {

	/**
	 * Destinations that get depth, consumers and un-acked gauges of their own (tag
	 * destination); those past the limit are summed under destination=other. A
	 * destination keeps its series while it exists.
	 */
	private int maxDestinations = 100;

	/**
	 * How often the per-destination gauges and the ERROR reasons are brought up to date.
	 */
	private Duration refreshInterval = Duration.ofSeconds(10);

	public int getMaxDestinations() {
		return this.maxDestinations;
	}

	public void setMaxDestinations(int maxDestinations) {
		this.maxDestinations = maxDestinations;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

}
