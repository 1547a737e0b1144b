package io.github.stompspringboot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.DestinationSettings;
import io.github.stompspringboot.broker.DestinationType;
import io.github.stompspringboot.broker.QueueFullPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the embedded STOMP broker, under {@code stomp.broker}.
 */
@ConfigurationProperties("stomp.broker")
public class StompBrokerProperties implements Validator {

	/** Boot validates a properties object that is a {@link Validator} as it binds it. */
	private static final Validator NON_NEGATIVE = new NonNegativeValuesValidator(StompBrokerProperties.class);

	/**
	 * Whether to run the embedded STOMP broker.
	 */
	private boolean enabled = true;

	/**
	 * Whether the broker runs in this application ("embedded") or browsers are relayed to
	 * an external STOMP broker ("relay", configured under stomp.broker.relay).
	 */
	private StompBrokerMode mode = StompBrokerMode.EMBEDDED;

	/**
	 * Value of the "server" header the broker sends in CONNECTED frames.
	 */
	private String serverName = "stomp-spring-boot/0.1";

	/**
	 * How long a new connection may take to send its CONNECT frame before it is closed.
	 */
	private Duration connectTimeout = Duration.ofSeconds(30);

	/**
	 * How long a connection the broker is closing (after an ERROR, a DISCONNECT or a slow
	 * consumer drop) may take to read its last frames before its socket is closed anyway.
	 */
	private Duration closeTimeout = Duration.ofSeconds(10);

	private final Tcp tcp = new Tcp();

	private final Heartbeat heartbeat = new Heartbeat();

	private final Destinations destinations = new Destinations();

	private final Limits limits = new Limits(this.destinations);

	private final Delivery delivery = new Delivery(this.destinations);

	private final Store store = new Store(this.destinations);

	private final Expiry expiry = new Expiry(this.destinations);

	private final Relay relay = new Relay();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public StompBrokerMode getMode() {
		return this.mode;
	}

	public void setMode(StompBrokerMode mode) {
		this.mode = mode;
	}

	public Relay getRelay() {
		return this.relay;
	}

	public String getServerName() {
		return this.serverName;
	}

	public void setServerName(String serverName) {
		this.serverName = serverName;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public Tcp getTcp() {
		return this.tcp;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Destinations getDestinations() {
		return this.destinations;
	}

	public Delivery getDelivery() {
		return this.delivery;
	}

	public Store getStore() {
		return this.store;
	}

	public Expiry getExpiry() {
		return this.expiry;
	}

	/**
	 * Frames are held in arrays, so a frame limit is at most 2 GB; say which property is
	 * over.
	 */
	private static int bytesUpTo2Gb(DataSize size, String property) {
		long bytes = size.toBytes();
		if (bytes < 0 || bytes > Integer.MAX_VALUE) {
			throw new InvalidStompPropertyException(property, size,
					"it must be between 0 and 2GB (frames are held in memory)",
					"Set '" + property + "' to a size between 0 and 2GB, for example 4MB.", null);
		}
		return (int) bytes;
	}

	@Override
	public boolean supports(Class<?> type) {
		return NON_NEGATIVE.supports(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		NON_NEGATIVE.validate(target, errors);
	}

	/** The engine's view of these properties. */
	public BrokerSettings toSettings() {
		BrokerSettings settings = new BrokerSettings().setServerName(this.serverName)
			.setConnectTimeout(this.connectTimeout)
			.setCloseTimeout(this.closeTimeout)
			.setHeartbeatSend(this.heartbeat.getSend())
			.setHeartbeatReceive(this.heartbeat.getReceive())
			.setHeartbeatGraceFactor(this.heartbeat.getGraceFactor())
			.setMaxFrameSize(bytesUpTo2Gb(this.limits.getMaxFrameSize(), "stomp.broker.limits.max-frame-size"))
			.setMaxHeaders(this.limits.getMaxHeaders())
			.setMaxHeaderLength(bytesUpTo2Gb(this.limits.getMaxHeaderLength(), "stomp.broker.limits.max-header-length"))
			.setMaxSubscriptionsPerConnection(this.limits.getMaxSubscriptionsPerConnection())
			.setMaxConnections(this.limits.getMaxConnections())
			.setMaxPendingBytesPerConnection(this.limits.getMaxPendingBytesPerConnection().toBytes())
			.setQueuePrefixes(this.destinations.getQueuePrefixes())
			.setTopicPrefixes(this.destinations.getTopicPrefixes())
			.setDefaultDestinationType(this.destinations.getDefaultType())
			.setMaxTransactionsPerConnection(this.limits.getMaxTransactionsPerConnection())
			.setMaxFramesPerTransaction(this.limits.getMaxFramesPerTransaction())
			.setMaxUnackedPerSubscription(this.limits.getMaxUnackedPerSubscription())
			.setDefaultPrefetch(this.delivery.getDefaultPrefetch())
			.setExpiryQueue(this.expiry.getQueue())
			.setDestinationDefaults(this.destinations.applyTo(DestinationSettings.DEFAULTS));
		this.destinations.getPolicies()
			.forEach((pattern, policy) -> settings.addDestinationOverride(pattern, policy::applyTo));
		return settings;
	}

	/** The TCP listener for telnet, stomp.py, PHP Stomp and other STOMP clients. */
	public static class Tcp {

		/**
		 * Whether to accept STOMP clients over TCP.
		 */
		private boolean enabled = true;

		/**
		 * Address to listen on.
		 */
		private String host = "0.0.0.0";

		/**
		 * Port to listen on; 0 picks a free port, published as "local.stomp.port"; -1
		 * turns the plain (unencrypted) listener off, leaving only the TLS one.
		 */
		private int port = 61613;

		/**
		 * On shutdown the listeners stop accepting, then wait until no connection has had
		 * bytes for this long (and none has a frame half read or frames unwritten), so
		 * frames sent just before are handled and answered; then each client gets an
		 * ERROR and is closed. The wait is bounded by
		 * "spring.lifecycle.timeout-per-shutdown-phase".
		 */
		private Duration shutdownQuietPeriod = Duration.ofMillis(100);

		private final Ssl ssl = new Ssl();

		private final Websocket websocket = new Websocket();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public Duration getShutdownQuietPeriod() {
			return this.shutdownQuietPeriod;
		}

		public void setShutdownQuietPeriod(Duration shutdownQuietPeriod) {
			this.shutdownQuietPeriod = shutdownQuietPeriod;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Websocket getWebsocket() {
			return this.websocket;
		}

	}

	/**
	 * Browsers straight to the broker: STOMP over WebSocket on the TCP port (ws://) and
	 * the TLS port (wss://), beside STOMP clients. Pages from other origins need
	 * stomp.websocket.allowed-origin-patterns, as for the servlet endpoint.
	 */
	public static class Websocket {

		/**
		 * Whether the broker's TCP and TLS ports also accept WebSocket upgrades.
		 */
		private boolean enabled = true;

		/**
		 * Request path of WebSocket upgrades on the broker's ports.
		 */
		private String path = "/stomp";

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

	}

	/** TLS for TCP clients, on a port of its own beside (or instead of) the plain one. */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) whose key and trust material the
		 * TLS listener uses; TLS is on when set.
		 */
		private String bundle;

		/**
		 * Port of the TLS listener; 0 picks a free port, published as
		 * "local.stomp.ssl.port".
		 */
		private int port = 61614;

		/**
		 * Whether clients must present a certificate the bundle's trust store trusts.
		 */
		private ClientAuth clientAuth = ClientAuth.NONE;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		/** Whether the TLS listener asks clients for a certificate. */
		public enum ClientAuth {

			/** Never asks. */
			NONE,

			/** Asks, and accepts clients that have none. */
			WANT,

			/** Asks, and refuses clients that have none. */
			NEED

		}

	}

	/**
	 * Heart-beats the broker offers and asks for, negotiated with each client's CONNECT.
	 */
	public static class Heartbeat {

		/**
		 * Shortest interval at which the broker sends heart-beats; 0 never sends them.
		 */
		private Duration send = Duration.ofSeconds(10);

		/**
		 * Interval at which the broker wants heart-beats from clients; 0 never asks for
		 * them.
		 */
		private Duration receive = Duration.ofSeconds(10);

		/**
		 * A client silent for longer than the negotiated interval times this factor is
		 * disconnected.
		 */
		private double graceFactor = 1.5;

		public Duration getSend() {
			return this.send;
		}

		public void setSend(Duration send) {
			this.send = send;
		}

		public Duration getReceive() {
			return this.receive;
		}

		public void setReceive(Duration receive) {
			this.receive = receive;
		}

		public double getGraceFactor() {
			return this.graceFactor;
		}

		public void setGraceFactor(double graceFactor) {
			this.graceFactor = graceFactor;
		}

	}

	/**
	 * What one client may make the broker hold. Going over a limit gets an ERROR frame.
	 */
	public static class Limits {

		/** Where the queue limits, once here, are kept. */
		private final Destinations destinations;

		/**
		 * Largest frame body accepted.
		 */
		private DataSize maxFrameSize = DataSize.ofMegabytes(4);

		/**
		 * Most headers one frame may carry.
		 */
		private int maxHeaders = 100;

		/**
		 * Longest command or header line accepted.
		 */
		private DataSize maxHeaderLength = DataSize.ofKilobytes(8);

		/**
		 * Most subscriptions one connection may hold at once.
		 */
		private int maxSubscriptionsPerConnection = 1000;

		/**
		 * Most connections the broker accepts at once, over all transports.
		 */
		private int maxConnections = 10_000;

		/**
		 * How far a subscriber may fall behind (bytes written for it but not yet sent)
		 * before it is disconnected as a slow consumer.
		 */
		private DataSize maxPendingBytesPerConnection = DataSize.ofMegabytes(8);

		/**
		 * Most transactions one connection may have open at once.
		 */
		private int maxTransactionsPerConnection = 16;

		/**
		 * Most SEND, ACK and NACK frames one transaction may hold until its COMMIT.
		 */
		private int maxFramesPerTransaction = 1000;

		/**
		 * Largest un-acked window of a client-ack subscription, whatever its SUBSCRIBE
		 * asks for: "prefetch-count:0" (unlimited) and larger requests are cut to it; 0
		 * lifts the cap.
		 */
		private int maxUnackedPerSubscription = 10_000;

		private Limits(Destinations destinations) {
			this.destinations = destinations;
		}

		public int getMaxUnackedPerSubscription() {
			return this.maxUnackedPerSubscription;
		}

		public void setMaxUnackedPerSubscription(int maxUnackedPerSubscription) {
			this.maxUnackedPerSubscription = maxUnackedPerSubscription;
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.max-queue-depth", since = "0.1")
		public Integer getMaxQueueDepth() {
			return this.destinations.getMaxQueueDepth();
		}

		@Deprecated(since = "0.1")
		public void setMaxQueueDepth(Integer maxQueueDepth) {
			this.destinations.setMaxQueueDepth(maxQueueDepth);
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.max-queue-size", since = "0.1")
		public DataSize getMaxQueueSize() {
			return this.destinations.getMaxQueueSize();
		}

		@Deprecated(since = "0.1")
		public void setMaxQueueSize(DataSize maxQueueSize) {
			this.destinations.setMaxQueueSize(maxQueueSize);
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.queue-full-policy", since = "0.1")
		public QueueFullPolicy getQueueFullPolicy() {
			return this.destinations.getQueueFullPolicy();
		}

		@Deprecated(since = "0.1")
		public void setQueueFullPolicy(QueueFullPolicy queueFullPolicy) {
			this.destinations.setQueueFullPolicy(queueFullPolicy);
		}

		public int getMaxTransactionsPerConnection() {
			return this.maxTransactionsPerConnection;
		}

		public void setMaxTransactionsPerConnection(int maxTransactionsPerConnection) {
			this.maxTransactionsPerConnection = maxTransactionsPerConnection;
		}

		public int getMaxFramesPerTransaction() {
			return this.maxFramesPerTransaction;
		}

		public void setMaxFramesPerTransaction(int maxFramesPerTransaction) {
			this.maxFramesPerTransaction = maxFramesPerTransaction;
		}

		public DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public int getMaxHeaders() {
			return this.maxHeaders;
		}

		public void setMaxHeaders(int maxHeaders) {
			this.maxHeaders = maxHeaders;
		}

		public DataSize getMaxHeaderLength() {
			return this.maxHeaderLength;
		}

		public void setMaxHeaderLength(DataSize maxHeaderLength) {
			this.maxHeaderLength = maxHeaderLength;
		}

		public int getMaxSubscriptionsPerConnection() {
			return this.maxSubscriptionsPerConnection;
		}

		public void setMaxSubscriptionsPerConnection(int maxSubscriptionsPerConnection) {
			this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public DataSize getMaxPendingBytesPerConnection() {
			return this.maxPendingBytesPerConnection;
		}

		public void setMaxPendingBytesPerConnection(DataSize maxPendingBytesPerConnection) {
			this.maxPendingBytesPerConnection = maxPendingBytesPerConnection;
		}

	}

	/**
	 * How destination names map to queues and topics, and the settings of every
	 * destination (stomp.broker.destinations.max-redeliveries and the like), with
	 * overrides by destination pattern under stomp.broker.destinations.policies.
	 */
	public static class Destinations extends Policy {

		/**
		 * Prefixes of point-to-point destinations: each message to one consumer.
		 */
		private List<String> queuePrefixes = new ArrayList<>(List.of("/queue/"));

		/**
		 * Prefixes of publish-subscribe destinations: each message to every subscriber.
		 */
		private List<String> topicPrefixes = new ArrayList<>(List.of("/topic/"));

		/**
		 * What a destination matching no prefix is.
		 */
		private DestinationType defaultType = DestinationType.QUEUE;

		/**
		 * Overrides by destination pattern ("/" and "." separate segments, * is one
		 * segment, ** any number), with the same properties as stomp.broker.destinations:
		 * for example
		 * stomp.broker.destinations.policies[/queue/orders.*].max-redeliveries=3. Every
		 * matching pattern applies; where two set the same property, the one listed first
		 * wins, and what none sets is the value of stomp.broker.destinations.
		 */
		private Map<String, Policy> policies = new LinkedHashMap<>();

		public List<String> getQueuePrefixes() {
			return this.queuePrefixes;
		}

		public void setQueuePrefixes(List<String> queuePrefixes) {
			this.queuePrefixes = queuePrefixes;
		}

		public List<String> getTopicPrefixes() {
			return this.topicPrefixes;
		}

		public void setTopicPrefixes(List<String> topicPrefixes) {
			this.topicPrefixes = topicPrefixes;
		}

		public DestinationType getDefaultType() {
			return this.defaultType;
		}

		public void setDefaultType(DestinationType defaultType) {
			this.defaultType = defaultType;
		}

		public Map<String, Policy> getPolicies() {
			return this.policies;
		}

		public void setPolicies(Map<String, Policy> policies) {
			this.policies = policies;
		}

		private Policy policy(String pattern) {
			return this.policies.computeIfAbsent(pattern, (key) -> new Policy());
		}

	}

	/** Where persistent messages and durable subscriptions are kept. */
	public static class Store {

		/**
		 * Directory of the durable message store (an append-only journal of fixed-size
		 * files, reused as messages are acknowledged), used by this broker alone. Unset,
		 * nothing is kept across restarts: persistent messages live in memory like the
		 * others.
		 */
		private Path path;

		/**
		 * Whether each write is forced to the disk (fsync) before the broker sends the
		 * RECEIPTs it covers. Without it a write is handed to the operating system before
		 * the RECEIPT, which survives the broker process being killed but not a power
		 * cut. Writes are grouped either way: one write (and one fsync) covers every
		 * change that arrived while the previous one was under way.
		 */
		private boolean fsync = false;

		/** Where persistent destinations, once listed here, are kept. */
		private final Destinations destinations;

		private Store(Destinations destinations) {
			this.destinations = destinations;
		}

		public Path getPath() {
			return this.path;
		}

		public void setPath(Path path) {
			this.path = path;
		}

		public boolean isFsync() {
			return this.fsync;
		}

		public void setFsync(boolean fsync) {
			this.fsync = fsync;
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.policies",
				reason = "A persistent destination is a policy: policies[<pattern>].persistent=true", since = "0.1")
		public List<String> getPersistentDestinations() {
			List<String> patterns = new ArrayList<>();
			this.destinations.getPolicies().forEach((pattern, policy) -> {
				if (Boolean.TRUE.equals(policy.getPersistent())) {
					patterns.add(pattern);
				}
			});
			return patterns;
		}

		@Deprecated(since = "0.1")
		public void setPersistentDestinations(List<String> persistentDestinations) {
			persistentDestinations.forEach((pattern) -> this.destinations.policy(pattern).setPersistent(true));
		}

	}

	/** When messages stop being worth delivering. */
	public static class Expiry {

		/**
		 * Queue that expired messages are moved to, with an "original-destination"
		 * header. Unset, expired messages are dropped.
		 */
		private String queue;

		/** Where times-to-live, once listed here, are kept. */
		private final Destinations destinations;

		private Expiry(Destinations destinations) {
			this.destinations = destinations;
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.policies",
				reason = "A time-to-live is a policy: policies[<pattern>].time-to-live", since = "0.1")
		public Map<String, Duration> getTimeToLive() {
			Map<String, Duration> timeToLive = new LinkedHashMap<>();
			this.destinations.getPolicies().forEach((pattern, policy) -> {
				if (policy.getTimeToLive() != null) {
					timeToLive.put(pattern, policy.getTimeToLive());
				}
			});
			return timeToLive;
		}

		@Deprecated(since = "0.1")
		public void setTimeToLive(Map<String, Duration> timeToLive) {
			timeToLive.forEach((pattern, ttl) -> this.destinations.policy(pattern).setTimeToLive(ttl));
		}

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

	}

	/** Acknowledgement windows. */
	public static class Delivery {

		/**
		 * Un-acked messages a client-ack subscription may hold when its SUBSCRIBE names
		 * no "prefetch-count" (RabbitMQ) or "activemq.prefetchSize" (ActiveMQ) header; 0
		 * is unlimited. The rest wait in the queue for other consumers.
		 */
		private int defaultPrefetch = 1000;

		/** Where redelivery and dead-lettering, once set here, are kept. */
		private final Destinations destinations;

		private Delivery(Destinations destinations) {
			this.destinations = destinations;
		}

		public int getDefaultPrefetch() {
			return this.defaultPrefetch;
		}

		public void setDefaultPrefetch(int defaultPrefetch) {
			this.defaultPrefetch = defaultPrefetch;
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.max-redeliveries", since = "0.1")
		public Integer getMaxRedeliveries() {
			return this.destinations.getMaxRedeliveries();
		}

		@Deprecated(since = "0.1")
		public void setMaxRedeliveries(Integer maxRedeliveries) {
			this.destinations.setMaxRedeliveries(maxRedeliveries);
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.dead-letter-queue", since = "0.1")
		public String getDeadLetterQueue() {
			return this.destinations.getDeadLetterQueue();
		}

		@Deprecated(since = "0.1")
		public void setDeadLetterQueue(String deadLetterQueue) {
			this.destinations.setDeadLetterQueue(deadLetterQueue);
		}

		@Deprecated(since = "0.1")
		@DeprecatedConfigurationProperty(replacement = "stomp.broker.destinations.policies", since = "0.1")
		public Map<String, Policy> getPolicies() {
			return this.destinations.getPolicies();
		}

		@Deprecated(since = "0.1")
		public void setPolicies(Map<String, Policy> policies) {
			this.destinations.setPolicies(policies);
		}

	}

	/**
	 * Settings of a destination: of every destination under stomp.broker.destinations, of
	 * those one pattern matches under stomp.broker.destinations.policies. Unset, a value
	 * comes from the next matching policy, then from stomp.broker.destinations, then from
	 * the engine's defaults (those documented here).
	 */
	public static class Policy {

		/**
		 * Times a message is redelivered (after a NACK, or because its consumer left
		 * without acking it) before it moves to the dead-letter queue; -1 redelivers
		 * forever.
		 */
		private Integer maxRedeliveries;

		/**
		 * Dead-letter queue; "{name}" stands for the destination's name without its queue
		 * or topic prefix. Dead-lettered messages carry the headers
		 * dlq-original-destination, dlq-original-message-id, dlq-reason and
		 * dlq-delivery-count.
		 */
		private String deadLetterQueue;

		/**
		 * Most messages a queue holds waiting for consumers; past it producers meet the
		 * queue-full policy.
		 */
		private Integer maxQueueDepth;

		/**
		 * Most body bytes a queue holds waiting for consumers; past it producers meet the
		 * queue-full policy.
		 */
		private DataSize maxQueueSize;

		/**
		 * What a producer meets when a queue is full: "block" stops reading from its
		 * connection (TCP back-pressure) until the queue drains to 80% of its limits;
		 * "fail" answers the SEND with an ERROR frame.
		 */
		private QueueFullPolicy queueFullPolicy;

		/**
		 * Whether queues deliver in arrival order only, ignoring the messages' "priority"
		 * header (0-9, default 4), which otherwise sends higher priorities first.
		 */
		private Boolean strictOrder;

		/**
		 * How long after it arrives a message sent without an "expires" header expires;
		 * unset or 0, never.
		 */
		private Duration timeToLive;

		/**
		 * Whether every message is persistent, as if sent with the header persistent:true
		 * (kept across restarts with stomp.broker.store.path).
		 */
		private Boolean persistent;

		public Integer getMaxRedeliveries() {
			return this.maxRedeliveries;
		}

		public void setMaxRedeliveries(Integer maxRedeliveries) {
			this.maxRedeliveries = maxRedeliveries;
		}

		public String getDeadLetterQueue() {
			return this.deadLetterQueue;
		}

		public void setDeadLetterQueue(String deadLetterQueue) {
			this.deadLetterQueue = deadLetterQueue;
		}

		public Integer getMaxQueueDepth() {
			return this.maxQueueDepth;
		}

		public void setMaxQueueDepth(Integer maxQueueDepth) {
			this.maxQueueDepth = maxQueueDepth;
		}

		public DataSize getMaxQueueSize() {
			return this.maxQueueSize;
		}

		public void setMaxQueueSize(DataSize maxQueueSize) {
			this.maxQueueSize = maxQueueSize;
		}

		public QueueFullPolicy getQueueFullPolicy() {
			return this.queueFullPolicy;
		}

		public void setQueueFullPolicy(QueueFullPolicy queueFullPolicy) {
			this.queueFullPolicy = queueFullPolicy;
		}

		public Boolean getStrictOrder() {
			return this.strictOrder;
		}

		public void setStrictOrder(Boolean strictOrder) {
			this.strictOrder = strictOrder;
		}

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

		public Boolean getPersistent() {
			return this.persistent;
		}

		public void setPersistent(Boolean persistent) {
			this.persistent = persistent;
		}

		/** The one mapping to the engine: {@code settings} with what this policy sets. */
		DestinationSettings applyTo(DestinationSettings settings) {
			DestinationSettings result = settings;
			if (this.maxRedeliveries != null) {
				result = result.withMaxRedeliveries(this.maxRedeliveries);
			}
			if (this.deadLetterQueue != null) {
				result = result.withDeadLetterQueue(this.deadLetterQueue);
			}
			if (this.maxQueueDepth != null) {
				result = result.withMaxQueueDepth(this.maxQueueDepth);
			}
			if (this.maxQueueSize != null) {
				result = result.withMaxQueueBytes(this.maxQueueSize.toBytes());
			}
			if (this.queueFullPolicy != null) {
				result = result.withQueueFullPolicy(this.queueFullPolicy);
			}
			if (this.strictOrder != null) {
				result = result.withStrictOrder(this.strictOrder);
			}
			if (this.timeToLive != null) {
				result = result.withTimeToLive(this.timeToLive);
			}
			if (this.persistent != null) {
				result = result.withPersistent(this.persistent);
			}
			return result;
		}

	}

	/**
	 * The external broker browsers are relayed to when {@code stomp.broker.mode=relay}.
	 */
	public static class Relay {

		/**
		 * Nodes of the external broker cluster as host:port (host alone means the port
		 * below), the first one preferred: the relay connects to the current node and
		 * moves to the next when a connection to it fails or drops. When empty, host and
		 * port.
		 */
		private List<String> addresses = new ArrayList<>();

		/**
		 * Host of the external STOMP broker, when stomp.broker.relay.addresses is empty.
		 */
		private String host = "localhost";

		/**
		 * STOMP port of the external broker.
		 */
		private int port = 61613;

		/**
		 * Login the relay uses on the connection it opens for each browser session.
		 */
		private String login = "guest";

		/**
		 * Passcode the relay uses on the connection it opens for each browser session.
		 */
		private String passcode = "guest";

		/**
		 * Login of the shared "system" connection that carries messages sent from the
		 * application (SimpMessagingTemplate).
		 */
		private String systemLogin = "guest";

		/**
		 * Passcode of the shared "system" connection.
		 */
		private String systemPasscode = "guest";

		/**
		 * Value of the "host" header of CONNECT frames (RabbitMQ reads it as the virtual
		 * host); the relay host when not set.
		 */
		private String virtualHost;

		/**
		 * Interval at which the "system" connection sends heart-beats; 0 sends none.
		 */
		private Duration systemHeartbeatSend = Duration.ofSeconds(10);

		/**
		 * Interval at which the "system" connection expects heart-beats from the broker;
		 * 0 expects none.
		 */
		private Duration systemHeartbeatReceive = Duration.ofSeconds(10);

		/**
		 * Destination on which a message to a user connected to another application
		 * instance is broadcast, so that instance can deliver it; empty turns it off.
		 */
		private String userDestinationBroadcast = "/topic/unresolved-user-destination";

		/**
		 * Destination on which application instances share which users they hold sessions
		 * of; empty turns it off.
		 */
		private String userRegistryBroadcast = "/topic/simp-user-registry";

		/**
		 * How often this instance tells the others which users it holds sessions of; the
		 * others forget them after twice this, so a user of a crashed instance is gone
		 * then.
		 */
		private Duration userRegistryBroadcastInterval = Duration.ofSeconds(10);

		/**
		 * Destination prefixes relayed to the external broker; the queue and topic
		 * prefixes of stomp.broker.destinations when not set.
		 */
		private List<String> destinationPrefixes;

		private final RelaySsl ssl = new RelaySsl();

		public List<String> getAddresses() {
			return this.addresses;
		}

		public void setAddresses(List<String> addresses) {
			this.addresses = addresses;
		}

		public RelaySsl getSsl() {
			return this.ssl;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public String getLogin() {
			return this.login;
		}

		public void setLogin(String login) {
			this.login = login;
		}

		public String getPasscode() {
			return this.passcode;
		}

		public void setPasscode(String passcode) {
			this.passcode = passcode;
		}

		public String getSystemLogin() {
			return this.systemLogin;
		}

		public void setSystemLogin(String systemLogin) {
			this.systemLogin = systemLogin;
		}

		public String getSystemPasscode() {
			return this.systemPasscode;
		}

		public void setSystemPasscode(String systemPasscode) {
			this.systemPasscode = systemPasscode;
		}

		public String getVirtualHost() {
			return this.virtualHost;
		}

		public void setVirtualHost(String virtualHost) {
			this.virtualHost = virtualHost;
		}

		public Duration getSystemHeartbeatSend() {
			return this.systemHeartbeatSend;
		}

		public void setSystemHeartbeatSend(Duration systemHeartbeatSend) {
			this.systemHeartbeatSend = systemHeartbeatSend;
		}

		public Duration getSystemHeartbeatReceive() {
			return this.systemHeartbeatReceive;
		}

		public void setSystemHeartbeatReceive(Duration systemHeartbeatReceive) {
			this.systemHeartbeatReceive = systemHeartbeatReceive;
		}

		public String getUserDestinationBroadcast() {
			return this.userDestinationBroadcast;
		}

		public void setUserDestinationBroadcast(String userDestinationBroadcast) {
			this.userDestinationBroadcast = userDestinationBroadcast;
		}

		public String getUserRegistryBroadcast() {
			return this.userRegistryBroadcast;
		}

		public void setUserRegistryBroadcast(String userRegistryBroadcast) {
			this.userRegistryBroadcast = userRegistryBroadcast;
		}

		public Duration getUserRegistryBroadcastInterval() {
			return this.userRegistryBroadcastInterval;
		}

		public void setUserRegistryBroadcastInterval(Duration userRegistryBroadcastInterval) {
			this.userRegistryBroadcastInterval = userRegistryBroadcastInterval;
		}

		public List<String> getDestinationPrefixes() {
			return this.destinationPrefixes;
		}

		public void setDestinationPrefixes(List<String> destinationPrefixes) {
			this.destinationPrefixes = destinationPrefixes;
		}

		/** TLS on the relay's connections to the broker. */
		public static class RelaySsl {

			/**
			 * SSL bundle (spring.ssl.bundle.*) whose trust material checks the broker's
			 * certificate, and whose key, if any, the relay presents; TLS is on when set.
			 */
			private String bundle;

			public String getBundle() {
				return this.bundle;
			}

			public void setBundle(String bundle) {
				this.bundle = bundle;
			}

		}

	}

}
