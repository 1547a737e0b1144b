package io.github.stompspringboot.actuate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

import io.github.stompspringboot.broker.StompAuthentication;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.StompCredentials;
import io.github.stompspringboot.broker.security.AccessRulePolicy;

/**
 * Who may look at the broker's admin page and change the broker through it or the
 * endpoint. With access rules configured (broker security on), a user whose HTTP Basic
 * credentials (or the application's authenticated principal) the broker accepts and whom
 * a rule gives the {@code admin} action. Without, only requests from a loopback address:
 * an unprotected broker is managed from its own machine only.
 */
public class StompAdminAccess {

	private final StompAuthenticator authenticator;

	private final StompAuthorizationPolicy policy;

	public StompAdminAccess(StompAuthenticator authenticator, StompAuthorizationPolicy policy) {
		this.authenticator = authenticator;
		this.policy = policy;
	}

	/** Whether access rules decide (else: loopback only). */
	public boolean isSecured() {
		return this.policy instanceof AccessRulePolicy;
	}

	/**
	 * @param principal the user the application authenticated the request as, or
	 * {@code null}
	 * @param authorization the request's {@code Authorization} header, or {@code null}
	 * @param remoteAddress the client's IP address
	 */
	public Decision check(Principal principal, String authorization, String remoteAddress) {
		if (!(this.policy instanceof AccessRulePolicy rules)) {
			return isLoopback(remoteAddress) ? Decision.allow("local user at " + remoteAddress)
					: Decision.deny(403, "Broker security is off: the admin page and write operations answer "
							+ "requests from this machine (loopback) only, not from " + remoteAddress + ".");
		}
		String login = null;
		String passcode = null;
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			String decoded;
			try {
				decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
						StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return Decision.deny(401, "The Authorization header is not valid Basic credentials.");
			}
			int colon = decoded.indexOf(':');
			login = (colon >= 0) ? decoded.substring(0, colon) : decoded;
			passcode = (colon >= 0) ? decoded.substring(colon + 1) : "";
		}
		if (login == null && principal == null) {
			return Decision.deny(401, "Log in as a broker user with the admin permission.");
		}
		StompAuthentication authentication = this.authenticator
			.authenticate(new StompCredentials(login, passcode, (login != null) ? null : principal, remoteAddress));
		if (!authentication.isGranted() || authentication.identity().isAnonymous()) {
			return Decision.deny(401, "The login or password is wrong.");
		}
		if (!rules.canAdminister(authentication.identity())) {
			return Decision.deny(403, "User " + authentication.identity().name()
					+ " lacks the admin permission of the broker's access rules.");
		}
		return Decision.allow(authentication.identity().name());
	}

	static boolean isLoopback(String address) {
		if (address == null || address.isBlank()) {
			return false;
		}
		String host = address.startsWith("[") ? address.substring(1, address.indexOf(']')) : address;
		// only literal IP addresses: never a name lookup on a request's address
		if (!host.chars().allMatch((c) -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
			return false;
		}
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * The outcome: allowed (with who, for the log) or denied with an HTTP status (401:
	 * who are you, 403: not you) and why.
	 */
	public record Decision(boolean allowed, String who, int status, String reason) {

		static Decision allow(String who) {
			return new Decision(true, who, 200, null);
		}

		static Decision deny(int status, String reason) {
			return new Decision(false, null, status, reason);
		}

	}

}
