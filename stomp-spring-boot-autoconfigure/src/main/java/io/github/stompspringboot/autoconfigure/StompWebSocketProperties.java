package io.github.stompspringboot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Browsers over WebSocket and SockJS, under {@code stomp.websocket}.
 */
@ConfigurationProperties("stomp.websocket")
public class StompWebSocketProperties {

	/**
	 * Whether to serve the STOMP endpoint to browsers and relay their sessions to the
	 * broker.
	 */
	private boolean enabled = true;

	/**
	 * Path of the STOMP endpoint: plain WebSocket at this path, SockJS below it.
	 */
	private String endpoint = "/stomp";

	/**
	 * Origin patterns (such as "https://*.example.com") whose pages may connect; empty
	 * allows only pages served by this application.
	 */
	private List<String> allowedOriginPatterns = new ArrayList<>();

	/**
	 * Destination prefixes of messages routed to @MessageMapping methods.
	 */
	private List<String> applicationDestinationPrefixes = new ArrayList<>(List.of("/app"));

	/**
	 * Prefix of destinations that address one user's sessions, as in "/user/queue/reply".
	 */
	private String userDestinationPrefix = "/user";

	private final Sockjs sockjs = new Sockjs();

	private final TcpClients tcpClients = new TcpClients();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(String endpoint) {
		this.endpoint = endpoint;
	}

	public List<String> getAllowedOriginPatterns() {
		return this.allowedOriginPatterns;
	}

	public void setAllowedOriginPatterns(List<String> allowedOriginPatterns) {
		this.allowedOriginPatterns = allowedOriginPatterns;
	}

	public List<String> getApplicationDestinationPrefixes() {
		return this.applicationDestinationPrefixes;
	}

	public void setApplicationDestinationPrefixes(List<String> applicationDestinationPrefixes) {
		this.applicationDestinationPrefixes = applicationDestinationPrefixes;
	}

	public String getUserDestinationPrefix() {
		return this.userDestinationPrefix;
	}

	public void setUserDestinationPrefix(String userDestinationPrefix) {
		this.userDestinationPrefix = userDestinationPrefix;
	}

	public Sockjs getSockjs() {
		return this.sockjs;
	}

	public TcpClients getTcpClients() {
		return this.tcpClients;
	}

	/**
	 * The embedded broker's TCP clients inside the application: their SENDs to
	 * application destinations reach @MessageMapping methods, their sessions raise
	 * Spring's session events and are in the SimpUserRegistry, their /user/...
	 * subscriptions get user messages.
	 */
	public static class TcpClients {

		/**
		 * Whether TCP clients reach the application as browsers do. Off, application and
		 * user destinations are plain broker destinations to them.
		 */
		private boolean enabled = true;

		/**
		 * Whether the application's client inbound channel interceptors also see TCP
		 * clients' frames for the broker (CONNECT, SEND and SUBSCRIBE to broker
		 * destinations, ACK...) and may refuse them. Frames for application destinations
		 * always go through the channel.
		 */
		private boolean inboundInterceptors = true;

		/**
		 * Most SEND and SUBSCRIBE frames to application destinations one TCP connection
		 * may have waiting for the application's handlers; one more ends it with an
		 * ERROR.
		 */
		private int maxPendingFrames = 1000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isInboundInterceptors() {
			return this.inboundInterceptors;
		}

		public void setInboundInterceptors(boolean inboundInterceptors) {
			this.inboundInterceptors = inboundInterceptors;
		}

		public int getMaxPendingFrames() {
			return this.maxPendingFrames;
		}

		public void setMaxPendingFrames(int maxPendingFrames) {
			this.maxPendingFrames = maxPendingFrames;
		}

	}

	/** The SockJS fallback for browsers and proxies without WebSocket. */
	public static class Sockjs {

		/**
		 * Whether to serve SockJS (and its HTTP fallbacks) below the endpoint path.
		 */
		private boolean enabled = true;

		/**
		 * URL of the sockjs-client script that SockJS's iframe transports
		 * (iframe-eventsource, iframe-htmlfile, iframe-xhr-polling) load in their iframe,
		 * such as "/webjars/sockjs-client/sockjs.min.js"; unset, Spring's default on a
		 * public CDN.
		 */
		private String clientLibraryUrl;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getClientLibraryUrl() {
			return this.clientLibraryUrl;
		}

		public void setClientLibraryUrl(String clientLibraryUrl) {
			this.clientLibraryUrl = clientLibraryUrl;
		}

	}

}
