package io.github.stompspringboot.broker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded STOMP broker engine: sessions, destinations and the shared timer every
 * heart-beat and timeout runs on. Transports open a {@link StompSession} per connection
 * and feed it frames as spring-messaging {@code Message<byte[]>}; the engine knows no
 * transport.
 */
public final class StompBroker {

	private final BrokerSettings settings;

	private final ScheduledExecutorService scheduler;

	private final DestinationRegistry destinations;

	private final StompAuthenticator authenticator;

	private final StompAuthorizationPolicy authorizationPolicy;

	private final MessageStore store;

	private final String messageIdPrefix;

	private final ConcurrentHashMap<String, StompSession> sessions = new ConcurrentHashMap<>();

	private final AtomicInteger connectedCount = new AtomicInteger();

	private final AtomicLong sessionSequence = new AtomicLong();

	private final SecurityAudit securityAudit = new SecurityAudit();

	private final BrokerMetrics metrics = new BrokerMetrics();

	private volatile boolean running = true;

	private volatile ApplicationGateway applicationGateway = ApplicationGateway.NONE;

	/**
	 * @param scheduler runs heart-beats and timeouts of all sessions; owned by the
	 * caller, who shuts it down after {@link #shutdown()}
	 */
	public StompBroker(BrokerSettings settings, ScheduledExecutorService scheduler) {
		this(settings, scheduler, MessageStore.NONE, StompAuthenticator.PERMIT_ALL, StompAuthorizationPolicy.ALLOW_ALL);
	}

	/**
	 * @param authenticator decides who each CONNECT is
	 * @param authorizationPolicy decides what each session may connect, send, subscribe
	 * to and create
	 */
	public StompBroker(BrokerSettings settings, ScheduledExecutorService scheduler, StompAuthenticator authenticator,
			StompAuthorizationPolicy authorizationPolicy) {
		this(settings, scheduler, MessageStore.NONE, authenticator, authorizationPolicy);
	}

	/**
	 * A broker that lets everyone in and keeps persistent messages in the given store.
	 * @param store owned by the caller, who closes it after {@link #shutdown()}
	 */
	public StompBroker(BrokerSettings settings, ScheduledExecutorService scheduler, MessageStore store) {
		this(settings, scheduler, store, StompAuthenticator.PERMIT_ALL, StompAuthorizationPolicy.ALLOW_ALL);
	}

	/**
	 * A broker that keeps persistent messages and durable subscriptions in the given
	 * store, and first brings back what the store kept from an earlier run.
	 * @param store owned by the caller, who closes it after {@link #shutdown()}
	 * @param authenticator decides who each CONNECT is
	 * @param authorizationPolicy decides what each session may connect, send, subscribe
	 * to and create
	 */
	public StompBroker(BrokerSettings settings, ScheduledExecutorService scheduler, MessageStore store,
			StompAuthenticator authenticator, StompAuthorizationPolicy authorizationPolicy) {
		this.settings = settings;
		this.scheduler = scheduler;
		this.store = store;
		this.authenticator = authenticator;
		this.authorizationPolicy = authorizationPolicy;
		// Message ids must not repeat those of messages recovered from an earlier run.
		this.messageIdPrefix = store.isDurable() ? Long.toString(System.currentTimeMillis(), 36) + "-" : "";
		this.destinations = new DestinationRegistry(settings, store, this.metrics);
		this.destinations.recover();
	}

	/**
	 * What the engine counted since it started; read by health, meters and the operations
	 * endpoint.
	 */
	public BrokerMetrics metrics() {
		return this.metrics;
	}

	/**
	 * A connected session by its id (the CONNECTED frame's {@code session} header), or
	 * {@code null}.
	 */
	public StompSession session(String id) {
		return this.sessions.get(id);
	}

	public MessageStore store() {
		return this.store;
	}

	/** Who else hears of refused logins and frames, besides the broker's log. */
	public void setSecurityListener(StompSecurityListener listener) {
		this.securityAudit.setListener(listener);
	}

	SecurityAudit securityAudit() {
		return this.securityAudit;
	}

	String messageIdPrefix() {
		return this.messageIdPrefix;
	}

	/** A new connection arrived; it must send CONNECT before anything else. */
	public StompSession openSession(SessionSink sink) {
		return openSession(sink, false);
	}

	/**
	 * A new connection arrived; it must send CONNECT before anything else.
	 * @param throughGateway whether the session reaches the application through the
	 * {@link #setApplicationGateway gateway} (a TCP client's), rather than being one the
	 * application already sees (a session Spring's relay opened)
	 */
	public StompSession openSession(SessionSink sink, boolean throughGateway) {
		StompSession session = new StompSession(this, sink, "s" + this.sessionSequence.incrementAndGet(),
				throughGateway);
		if (!this.running) {
			session.shutdown();
		}
		return session;
	}

	/** Ends every session with an ERROR frame saying the broker is stopping. */
	public void shutdown() {
		this.running = false;
		for (StompSession session : new ArrayList<>(this.sessions.values())) {
			session.shutdown();
		}
	}

	/**
	 * Whether the broker accepts sessions: {@code false} once {@link #shutdown()} began.
	 */
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Connects the sessions opened {@code throughGateway} to the application; those that
	 * connect from now on use it.
	 */
	public void setApplicationGateway(ApplicationGateway applicationGateway) {
		this.applicationGateway = (applicationGateway != null) ? applicationGateway : ApplicationGateway.NONE;
	}

	ApplicationGateway applicationGateway() {
		return this.applicationGateway;
	}

	public BrokerSettings settings() {
		return this.settings;
	}

	public DestinationRegistry destinations() {
		return this.destinations;
	}

	public Collection<StompSession> sessions() {
		return this.sessions.values();
	}

	/** Connections that completed CONNECT and are still open. */
	public int connectionCount() {
		return this.connectedCount.get();
	}

	StompAuthenticator authenticator() {
		return this.authenticator;
	}

	StompAuthorizationPolicy authorizationPolicy() {
		return this.authorizationPolicy;
	}

	ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	boolean register(StompSession session) {
		if (this.connectedCount.incrementAndGet() > this.settings.getMaxConnections()) {
			this.connectedCount.decrementAndGet();
			return false;
		}
		this.sessions.put(session.id(), session);
		this.metrics.connectionOpened(session.transport());
		return true;
	}

	void unregister(StompSession session, boolean wasConnected) {
		if (wasConnected && this.sessions.remove(session.id()) != null) {
			this.connectedCount.decrementAndGet();
			this.metrics.connectionClosed(session.transport());
		}
	}

}
