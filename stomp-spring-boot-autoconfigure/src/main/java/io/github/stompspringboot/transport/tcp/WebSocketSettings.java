package io.github.stompspringboot.transport.tcp;

import java.util.List;
import java.util.regex.Pattern;

/**
 * STOMP over WebSocket on the broker's own TCP (and TLS) port: an HTTP upgrade request at
 * {@link #path()} is answered as a WebSocket handshake, as Artemis' and Apollo's
 * acceptors do.
 *
 * @param path the request path browsers connect to, such as {@code /stomp}
 * @param allowedOriginPatterns origins (such as {@code https://*.example.com}, {@code *}
 * for any) whose pages may connect; empty allows only a page of the same origin as the
 * request's Host. A request without an Origin header (no browser) is always allowed.
 * @param maxFramePayload largest WebSocket frame accepted; over it the client gets an
 * ERROR
 */
public record WebSocketSettings(String path, List<String> allowedOriginPatterns, int maxFramePayload) {

	/** The STOMP subprotocols offered, as stomp.js asks for them. */
	static final String SUBPROTOCOLS = "v12.stomp,v11.stomp,v10.stomp";

	public WebSocketSettings {
		allowedOriginPatterns = List.copyOf(allowedOriginPatterns);
	}

	boolean isAllowedOrigin(String origin, String host, boolean secure) {
		if (origin == null) {
			return true;
		}
		if (this.allowedOriginPatterns.isEmpty()) {
			return host != null && origin.equalsIgnoreCase((secure ? "https://" : "http://") + host);
		}
		for (String pattern : this.allowedOriginPatterns) {
			if (globToRegex(pattern).matcher(origin).matches()) {
				return true;
			}
		}
		return false;
	}

	private static Pattern globToRegex(String glob) {
		StringBuilder regex = new StringBuilder();
		for (String part : glob.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			regex.append(Pattern.quote(part));
		}
		return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
	}

}
