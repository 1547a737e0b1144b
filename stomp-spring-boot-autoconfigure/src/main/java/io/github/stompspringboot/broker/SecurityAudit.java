package io.github.stompspringboot.broker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Refused logins and frames, logged at WARN at most once per second per remote address (a
 * password-guessing client must not flood the log) and handed to the
 * {@link StompSecurityListener} every time.
 */
final class SecurityAudit {

	private static final Log logger = LogFactory.getLog(SecurityAudit.class);

	private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

	/**
	 * Addresses remembered for the once-a-second rule; past this many the memory starts
	 * over.
	 */
	static final int MAX_TRACKED_ADDRESSES = 10_000;

	private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();

	private volatile StompSecurityListener listener = StompSecurityListener.NONE;

	void setListener(StompSecurityListener listener) {
		this.listener = (listener != null) ? listener : StompSecurityListener.NONE;
	}

	void loginRefused(String login, String remoteAddress, String reason) {
		if (shouldLog(remoteAddress)) {
			logger.warn("Refused STOMP login '" + login + "' from " + remoteAddress + ": " + reason);
		}
		this.listener.loginRefused(login, remoteAddress, reason);
	}

	void accessDenied(String user, String remoteAddress, String action, String destination) {
		if (shouldLog(remoteAddress)) {
			String who = (user != null) ? "user '" + user + "'" : "an anonymous user";
			logger.warn("Refused " + action + ((destination != null) ? " " + destination : "") + " to " + who + " from "
					+ remoteAddress + ": no access rule allows it");
		}
		this.listener.accessDenied(user, remoteAddress, action, destination);
	}

	private boolean shouldLog(String remoteAddress) {
		if (!logger.isWarnEnabled()) {
			return false;
		}
		String host = SessionSink.hostOf(remoteAddress);
		long now = System.nanoTime();
		if (this.lastLogged.size() >= MAX_TRACKED_ADDRESSES) {
			this.lastLogged.clear();
		}
		boolean[] log = new boolean[1];
		this.lastLogged.compute(host, (key, last) -> {
			log[0] = last == null || now - last >= LOG_INTERVAL_NANOS;
			return log[0] ? now : last;
		});
		return log[0];
	}

}
