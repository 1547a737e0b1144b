package io.github.stompspringboot.actuate;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The broker's admin page ({@code stomp.admin.*}): live connections, destinations and
 * rates, with buttons for the endpoint's write operations. Served by the application's
 * own web server; with broker security on, only users with the {@code admin} permission
 * of the access rules may use it, without it only requests from loopback addresses.
 */
@ConfigurationProperties("stomp.admin")
public class StompAdminProperties {

	/** Whether the admin page is served. */
	private boolean enabled;

	/** Where the page is served; its JSON lives under {@code <path>/api/}. */
	private String path = "/stomp-admin";

	/** How often the page asks the broker for fresh numbers. */
	private Duration refreshInterval = Duration.ofSeconds(2);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

}
