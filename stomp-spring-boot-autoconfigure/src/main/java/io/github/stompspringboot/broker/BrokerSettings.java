package io.github.stompspringboot.broker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	private int maxRedeliveries = 5;

	private String deadLetterQueue = "/queue/DLQ.{name}";

	private int maxQueueDepth = 100_000;

	private long maxQueueBytes = 64L * 1024 * 1024;

	private QueueFullPolicy queueFullPolicy = QueueFullPolicy.BLOCK;

	private int maxTransactionsPerConnection = 16;

	private int maxFramesPerTransaction = 1000;

	private Map<String, DestinationPolicy> destinationPolicies = Map.of();

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

	private List<String> persistentDestinations = List.of();

	private Map<String, Duration> timeToLive = Map.of();

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

	/**
	 * Times a message is redelivered (after a NACK, or because its consumer left without
	 * acking it) before it moves to the dead-letter queue; -1 redelivers forever.
	 */
	public int getMaxRedeliveries() {
		return this.maxRedeliveries;
	}

	public BrokerSettings setMaxRedeliveries(int maxRedeliveries) {
		this.maxRedeliveries = maxRedeliveries;
		return this;
	}

	/**
	 * Where a message goes after its last redelivery; {@code {name}} stands for the
	 * original destination without its queue or topic prefix.
	 */
	public String getDeadLetterQueue() {
		return this.deadLetterQueue;
	}

	public BrokerSettings setDeadLetterQueue(String deadLetterQueue) {
		this.deadLetterQueue = deadLetterQueue;
		return this;
	}

	/** Messages a queue holds for its consumers before producers are held back. */
	public int getMaxQueueDepth() {
		return this.maxQueueDepth;
	}

	public BrokerSettings setMaxQueueDepth(int maxQueueDepth) {
		this.maxQueueDepth = maxQueueDepth;
		return this;
	}

	/** Body bytes a queue holds for its consumers before producers are held back. */
	public long getMaxQueueBytes() {
		return this.maxQueueBytes;
	}

	public BrokerSettings setMaxQueueBytes(long maxQueueBytes) {
		this.maxQueueBytes = maxQueueBytes;
		return this;
	}

	/** What a producer meets when a queue is full. */
	public QueueFullPolicy getQueueFullPolicy() {
		return this.queueFullPolicy;
	}

	public BrokerSettings setQueueFullPolicy(QueueFullPolicy queueFullPolicy) {
		this.queueFullPolicy = queueFullPolicy;
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
	 * Overrides by destination pattern ({@code /queue/orders.*}, {@code /queue/**}, Ant
	 * style); the first pattern that matches a destination applies, in map order.
	 */
	public Map<String, DestinationPolicy> getDestinationPolicies() {
		return this.destinationPolicies;
	}

	public BrokerSettings setDestinationPolicies(Map<String, DestinationPolicy> destinationPolicies) {
		this.destinationPolicies = new LinkedHashMap<>(destinationPolicies);
		return this;
	}

	/** Adds one override; later patterns apply only where earlier ones do not match. */
	public BrokerSettings addDestinationPolicy(String pattern, DestinationPolicy policy) {
		Map<String, DestinationPolicy> policies = new LinkedHashMap<>(this.destinationPolicies);
		policies.put(pattern, policy);
		this.destinationPolicies = policies;
		return this;
	}

	/**
	 * The policy in force for a destination: the first matching override over the
	 * defaults.
	 */
	DestinationPolicy policyFor(String destination) {
		DestinationPolicy override = null;
		for (Map.Entry<String, DestinationPolicy> entry : this.destinationPolicies.entrySet()) {
			if (DestinationPattern.of(entry.getKey()).matches(destination)) {
				override = entry.getValue();
				break;
			}
		}
		DestinationPolicy defaults = new DestinationPolicy().setMaxRedeliveries(this.maxRedeliveries)
			.setDeadLetterQueue(this.deadLetterQueue)
			.setMaxQueueDepth(this.maxQueueDepth)
			.setMaxQueueBytes(this.maxQueueBytes)
			.setQueueFullPolicy(this.queueFullPolicy);
		return (override != null) ? override.over(defaults) : defaults;
	}

	/**
	 * Destination patterns (Ant style, such as {@code /queue/orders.**}) whose every
	 * message is persistent, as if sent with {@code persistent:true}. Persistent messages
	 * need a durable message store to survive a restart.
	 */
	public List<String> getPersistentDestinations() {
		return this.persistentDestinations;
	}

	public BrokerSettings setPersistentDestinations(List<String> persistentDestinations) {
		this.persistentDestinations = List.copyOf(persistentDestinations);
		return this;
	}

	/**
	 * Time-to-live by destination pattern (Ant style): a message sent without an
	 * {@code expires} header expires this long after it arrives. The first matching
	 * pattern wins.
	 */
	public Map<String, Duration> getTimeToLive() {
		return this.timeToLive;
	}

	public BrokerSettings setTimeToLive(Map<String, Duration> timeToLive) {
		this.timeToLive = new LinkedHashMap<>(timeToLive);
		return this;
	}

	/** Queue that expired messages are moved to; {@code null} drops them. */
	public String getExpiryQueue() {
		return this.expiryQueue;
	}

	public BrokerSettings setExpiryQueue(String expiryQueue) {
		this.expiryQueue = expiryQueue;
		return this;
	}

}
