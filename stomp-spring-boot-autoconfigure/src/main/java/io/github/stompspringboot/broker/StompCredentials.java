package io.github.stompspringboot.broker;

import java.security.Principal;

/**
 * What a CONNECT frame offers to prove who the client is.
 *
 * @param login the {@code login} header, or {@code null}
 * @param passcode the {@code passcode} header, or {@code null}
 * @param principal a user already authenticated by the application (Spring's relay
 * forwards the WebSocket session's Principal), or {@code null} for a TCP client
 * @param remoteAddress where the connection comes from, for throttling repeated failures
 */
public record StompCredentials(String login, String passcode, Principal principal, String remoteAddress) {

	@Override
	public String toString() {
		// never the passcode, whoever logs this
		return "StompCredentials[login=" + this.login + ", principal="
				+ ((this.principal != null) ? this.principal.getName() : null) + ", from " + this.remoteAddress + "]";
	}

}
