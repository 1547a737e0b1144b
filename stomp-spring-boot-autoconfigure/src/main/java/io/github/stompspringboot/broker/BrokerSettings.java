package io.github.stompspringboot.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the engine needs to know of its configuration: plain values with safe defaults, so
 * the engine runs without Spring Boot (the auto-configuration fills it from
 * {@code stomp.broker.*}).
 */
public class BrokerSettings {

	private String serverName = "stomp-spring-boot/0.1";

	private Duration heartbeatSend = Duration.ofSeconds(10);

	private Duration heartbeatReceive = Duration.ofSeconds(10);

	private double heartbeatGraceFactor = 1.5;

	private Duration connectTimeout = Duration.ofSeconds(30);

	private Duration closeTimeout = Duration.ofSeconds(10);

	private int maxFrameSize = 4 * 1024 * 1024;

	private int maxHeaders = 100;

	private int maxHeaderLength = 8 * 1024;

	private int maxSubscriptionsPerConnection = 1000;

	private int maxConnections = 10_000;

	private long maxPendingBytesPerConnection = 8 * 1024 * 1024;

	private List<String> queuePrefixes = List.of("/queue/");

	private List<String> topicPrefixes = List.of("/topic/");

	private DestinationType defaultDestinationType = DestinationType.QUEUE;

	private int defaultPrefetch = 1000;

	private int maxUnackedPerSubscription = 10_000;

	private int maxTransactionsPerConnection = 16;

	private int maxFramesPerTransaction = 1000;

	private DestinationSettings destinationDefaults = DestinationSettings.DEFAULTS;

	private List<DestinationOverride> destinationOverrides = List.of();

	private String userDestinationSuffix = "-user";

	/**
	 * What Spring's user destinations put between a queue's name and the session id of a
	 * relayed browser session ({@code /queue/reply-user<sessionId>}); such a queue
	 * belongs to that session alone and is deleted, messages and all, when the session
	 * ends. {@code null} or empty keeps them like any other queue.
	 */
	public String getUserDestinationSuffix() {
		return this.userDestinationSuffix;
	}

	public BrokerSettings setUserDestinationSuffix(String userDestinationSuffix) {
		this.userDestinationSuffix = userDestinationSuffix;
		return this;
	}

	private String expiryQueue;

	/** The {@code server} header of CONNECTED. */
	public String getServerName() {
		return this.serverName;
	}

	public BrokerSettings setServerName(String serverName) {
		this.serverName = serverName;
		return this;
	}

	/** How often the broker offers to send heart-beats (0: never). */
	public Duration getHeartbeatSend() {
		return this.heartbeatSend;
	}

	public BrokerSettings setHeartbeatSend(Duration heartbeatSend) {
		this.heartbeatSend = heartbeatSend;
		return this;
	}

	/** How often the broker asks clients for heart-beats (0: never). */
	public Duration getHeartbeatReceive() {
		return this.heartbeatReceive;
	}

	public BrokerSettings setHeartbeatReceive(Duration heartbeatReceive) {
		this.heartbeatReceive = heartbeatReceive;
		return this;
	}

	/** A client silent for the negotiated interval times this factor is dropped. */
	public double getHeartbeatGraceFactor() {
		return this.heartbeatGraceFactor;
	}

	public BrokerSettings setHeartbeatGraceFactor(double heartbeatGraceFactor) {
		this.heartbeatGraceFactor = heartbeatGraceFactor;
		return this;
	}

	/** How long a connection may stay open without a CONNECT frame. */
	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public BrokerSettings setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
		return this;
	}

	/**
	 * How long a connection the broker is closing (after an ERROR, a DISCONNECT or a slow
	 * consumer drop) may take to read what was sent to it; a client that stops reading
	 * would otherwise hold its socket and its unsent bytes forever.
	 */
	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public BrokerSettings setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
		return this;
	}

	/** Largest body of one frame, in bytes. */
	public int getMaxFrameSize() {
		return this.maxFrameSize;
	}

	public BrokerSettings setMaxFrameSize(int maxFrameSize) {
		this.maxFrameSize = maxFrameSize;
		return this;
	}

	public int getMaxHeaders() {
		return this.maxHeaders;
	}

	public BrokerSettings setMaxHeaders(int maxHeaders) {
		this.maxHeaders = maxHeaders;
		return this;
	}

	/** Longest command or header line, in bytes. */
	public int getMaxHeaderLength() {
		return this.maxHeaderLength;
	}

	public BrokerSettings setMaxHeaderLength(int maxHeaderLength) {
		this.maxHeaderLength = maxHeaderLength;
		return this;
	}

	public int getMaxSubscriptionsPerConnection() {
		return this.maxSubscriptionsPerConnection;
	}

	public BrokerSettings setMaxSubscriptionsPerConnection(int maxSubscriptionsPerConnection) {
		this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
		return this;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public BrokerSettings setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
		return this;
	}

	/** Bytes a topic subscriber may fall behind before it is disconnected as too slow. */
	public long getMaxPendingBytesPerConnection() {
		return this.maxPendingBytesPerConnection;
	}

	public BrokerSettings setMaxPendingBytesPerConnection(long maxPendingBytesPerConnection) {
		this.maxPendingBytesPerConnection = maxPendingBytesPerConnection;
		return this;
	}

	public List<String> getQueuePrefixes() {
		return this.queuePrefixes;
	}

	public BrokerSettings setQueuePrefixes(List<String> queuePrefixes) {
		this.queuePrefixes = List.copyOf(queuePrefixes);
		return this;
	}

	public List<String> getTopicPrefixes() {
		return this.topicPrefixes;
	}

	public BrokerSettings setTopicPrefixes(List<String> topicPrefixes) {
		this.topicPrefixes = List.copyOf(topicPrefixes);
		return this;
	}

	/**
	 * What a destination matching no prefix is ({@code testSTOMP} in the seed telnet
	 * session is a queue).
	 */
	public DestinationType getDefaultDestinationType() {
		return this.defaultDestinationType;
	}

	public BrokerSettings setDefaultDestinationType(DestinationType defaultDestinationType) {
		this.defaultDestinationType = defaultDestinationType;
		return this;
	}

	/**
	 * Un-acked messages a client-ack subscription may hold when its SUBSCRIBE names no
	 * {@code prefetch-count} (or {@code activemq.prefetchSize}); 0 is unlimited.
	 */
	public int getDefaultPrefetch() {
		return this.defaultPrefetch;
	}

	public BrokerSettings setDefaultPrefetch(int defaultPrefetch) {
		this.defaultPrefetch = defaultPrefetch;
		return this;
	}

	/**
	 * The largest un-acked window any client-ack subscription gets, whatever its
	 * SUBSCRIBE asks for (0 and larger requests are cut to it); 0 lifts the cap.
	 */
	public int getMaxUnackedPerSubscription() {
		return this.maxUnackedPerSubscription;
	}

	public BrokerSettings setMaxUnackedPerSubscription(int maxUnackedPerSubscription) {
		this.maxUnackedPerSubscription = maxUnackedPerSubscription;
		return this;
	}

	/** Transactions one connection may have open at once. */
	public int getMaxTransactionsPerConnection() {
		return this.maxTransactionsPerConnection;
	}

	public BrokerSettings setMaxTransactionsPerConnection(int maxTransactionsPerConnection) {
		this.maxTransactionsPerConnection = maxTransactionsPerConnection;
		return this;
	}

	/** SEND, ACK and NACK frames one transaction may hold until COMMIT. */
	public int getMaxFramesPerTransaction() {
		return this.maxFramesPerTransaction;
	}

	public BrokerSettings setMaxFramesPerTransaction(int maxFramesPerTransaction) {
		this.maxFramesPerTransaction = maxFramesPerTransaction;
		return this;
	}

	/**
	 * The settings of every destination no override changes; see
	 * {@link #destinationSettings(String)}.
	 */
	public DestinationSettings getDestinationDefaults() {
		return this.destinationDefaults;
	}

	public BrokerSettings setDestinationDefaults(DestinationSettings destinationDefaults) {
		this.destinationDefaults = destinationDefaults;
		return this;
	}

	/**
	 * Adds an override for the destinations {@code pattern} matches (a
	 * {@link DestinationPattern}), after those already added: {@code change} sets what
	 * the override sets, for example {@code s -> s.withMaxRedeliveries(3)}.
	 */
	public BrokerSettings addDestinationOverride(String pattern, UnaryOperator<DestinationSettings> change) {
		List<DestinationOverride> overrides = new ArrayList<>(this.destinationOverrides);
		overrides.add(new DestinationOverride(DestinationPattern.of(pattern), change));
		this.destinationOverrides = List.copyOf(overrides);
		return this;
	}

	/**
	 * The settings in force for a destination: the defaults changed by every override
	 * whose pattern matches it, where an earlier override wins over a later one for a
	 * value both set (a value an override leaves alone comes from the next matching one,
	 * or the defaults).
	 */
	public DestinationSettings destinationSettings(String destination) {
		DestinationSettings settings = this.destinationDefaults;
		for (int i = this.destinationOverrides.size() - 1; i >= 0; i--) {
			DestinationOverride override = this.destinationOverrides.get(i);
			if (override.pattern().matches(destination)) {
				settings = override.change().apply(settings);
			}
		}
		return settings;
	}

	/** Queue that expired messages are moved to; {@code null} drops them. */
	public String getExpiryQueue() {
		return this.expiryQueue;
	}

	public BrokerSettings setExpiryQueue(String expiryQueue) {
		this.expiryQueue = expiryQueue;
		return this;
	}

	private record DestinationOverride(DestinationPattern pattern, UnaryOperator<DestinationSettings> change) {
	}

}
