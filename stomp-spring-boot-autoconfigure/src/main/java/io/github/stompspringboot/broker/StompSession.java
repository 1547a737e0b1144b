package io.github.stompspringboot.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

/**
 * One client connection as the engine sees it, whatever transport it came over: its
 * protocol version, subscriptions, un-acked deliveries and heart-beat timers. Frames of
 * one session are handled one at a time, each under this session's lock and all of them
 * here; deliveries to it may come from any producer's thread. What a frame's headers say
 * is read by {@link FrameHeaders}, the heart-beat timing kept by
 * {@link HeartBeatMonitor}.
 */
public final class StompSession {

	private static final Log logger = LogFactory.getLog(StompSession.class);

	private static final String TEMP_QUEUE = "/temp-queue/";

	private enum State {

		AWAITING_CONNECT, CONNECTED, CLOSED

	}

	/** What becomes of the connection once a RECEIPT is written. */
	private enum AfterReceipt {

		KEEP_CONNECTION, CLOSE_CONNECTION

	}

	private final StompBroker broker;

	private final SessionSink sink;

	private final String id;

	private volatile State state = State.AWAITING_CONNECT;

	/** Until CONNECT says otherwise, errors are written the way 1.2 wants them. */
	private volatile StompVersion version = StompVersion.V1_2;

	private volatile String user;

	private volatile StompIdentity identity;

	/** Guarded by {@code this}, like every piece of state frames change. */
	private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

	/** Open transactions by id; guarded by {@code this}. */
	private final Map<String, Transaction> transactions = new HashMap<>();

	/**
	 * The relay's id for the browser session behind this one, {@code null} for a TCP
	 * client.
	 */
	private volatile String relaySessionId;

	private final AtomicLong messageSequence = new AtomicLong();

	/**
	 * What every message id this session makes starts with (prefix, session id, dash),
	 * made at its first SEND so an idle connection does not hold it; guarded by
	 * {@code this}.
	 */
	private String messageIdBase;

	/**
	 * The CONNECT's {@code client-id}: names durable subscriptions across connections.
	 */
	private volatile String clientId;

	/**
	 * Broker-wide names of this connection's temporary queues; guarded by {@code this}.
	 */
	private final Set<String> temporaryQueues = new LinkedHashSet<>();

	/**
	 * Full queues holding this producer back; reading resumes when none does. A leaf lock
	 * of its own, as queues take it while holding theirs.
	 */
	private final Object flowControl = new Object();

	private int heldBackBy;

	private volatile boolean readingSuspended;

	/** An ERROR is on its way from the scheduler; no more deliveries meanwhile. */
	private volatile boolean failing;

	/**
	 * The store's change mark after the latest frame of this session that handed it
	 * changes: its RECEIPTs wait until the store made that mark durable. Guarded by
	 * {@code this}.
	 */
	private long storeMark;

	/**
	 * RECEIPTs waiting for the store: later ones wait behind them, whatever their mark.
	 */
	private final AtomicInteger receiptsAwaitingStore = new AtomicInteger();

	/**
	 * Set once, under the session's lock, before the CONNECTED frame is written;
	 * {@code null} before and when neither side beats.
	 */
	private volatile @Nullable HeartBeatMonitor heartBeats;

	private ScheduledFuture<?> connectTimeoutTask;

	/**
	 * Whether this session reaches the application through the broker's
	 * {@link ApplicationGateway}.
	 */
	private final boolean throughGateway;

	/**
	 * Set on CONNECT when {@link #throughGateway}; told of every frame and of the end.
	 */
	private volatile ApplicationGateway gateway;

	/** The gateway's id for this session: its user-destination queues end with it. */
	private volatile String applicationSessionId;

	/**
	 * Ids of subscriptions to application destinations, answered by the application;
	 * guarded by {@code this}.
	 */
	private final Set<String> applicationSubscriptions = new LinkedHashSet<>();

	/** When CONNECT completed (epoch millis), 0 before. */
	private volatile long connectedAtMillis;

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	StompSession(StompBroker broker, SessionSink sink, String id) {
		this(broker, sink, id, false);
	}

	StompSession(StompBroker broker, SessionSink sink, String id, boolean throughGateway) {
		this.broker = broker;
		this.sink = sink;
		this.id = id;
		this.throughGateway = throughGateway;
		long connectTimeout = broker.settings().getConnectTimeout().toMillis();
		if (connectTimeout > 0) {
			this.connectTimeoutTask = broker.scheduler()
				.schedule(this::connectTimedOut, connectTimeout, TimeUnit.MILLISECONDS);
		}
	}

	public String id() {
		return this.id;
	}

	/** The negotiated version; 1.2 until CONNECT is handled. */
	public StompVersion version() {
		return this.version;
	}

	/**
	 * The id Spring's relay gave the browser session behind this one (the WebSocket
	 * session id its user destinations end with), or {@code null} for a TCP client.
	 */
	public String relaySessionId() {
		return this.relaySessionId;
	}

	/** The authenticated user's name, or {@code null} for an anonymous session. */
	public String user() {
		return this.user;
	}

	/** Who CONNECT proved this session to be (name and groups), {@code null} before. */
	public StompIdentity identity() {
		return this.identity;
	}

	public boolean isConnected() {
		return this.state == State.CONNECTED;
	}

	public String remoteAddress() {
		return this.sink.remoteAddress();
	}

	StompBroker broker() {
		return this.broker;
	}

	SessionSink sink() {
		return this.sink;
	}

	/** Bytes arrived from the client: a frame or a heart-beat both prove it alive. */
	public void markActivity() {
		HeartBeatMonitor monitor = this.heartBeats;
		if (monitor != null) {
			monitor.read();
		}
	}

	/**
	 * Handles one frame from the client. A frame that breaks the protocol ends the
	 * session with an ERROR frame; it never throws back into the transport.
	 */
	public void handle(Message<byte[]> frame) {
		StompHeaderAccessor accessor = accessorOf(frame);
		if (SimpMessageType.HEARTBEAT.equals(accessor.getMessageType())) {
			markActivity();
			return;
		}
		StompCommand command = accessor.getCommand();
		if (command != null) {
			this.broker.metrics().frameReceived(command);
		}
		synchronized (this) {
			if (this.state == State.CLOSED) {
				return;
			}
			try {
				dispatch(accessor, frame.getPayload());
			}
			catch (StompProtocolException ex) {
				// the application may have ended it already, with its own ERROR
				if (this.state != State.CLOSED) {
					fail(ex, accessor.getReceipt());
				}
			}
			catch (RuntimeException ex) {
				logger.error("Session " + this.id + " failed on a " + accessor.getCommand() + " frame", ex);
				fail(new StompProtocolException("Internal broker error", "The broker could not process the "
						+ accessor.getCommand() + " frame; the connection is closed. See the broker log."), null);
			}
		}
	}

	/**
	 * The frame's own accessor when it left it mutable (the TCP decoder does), else a
	 * copy: wrapping copies every header map once more per frame. A SUBSCRIBE always gets
	 * a copy, as subscribing may add a header to it.
	 */
	private static StompHeaderAccessor accessorOf(Message<byte[]> frame) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(frame, StompHeaderAccessor.class);
		if (accessor == null || !accessor.isMutable() || accessor.getCommand() == StompCommand.SUBSCRIBE) {
			return StompHeaderAccessor.wrap(frame);
		}
		return accessor;
	}

	private void dispatch(StompHeaderAccessor frame, byte[] body) {
		StompCommand command = frame.getCommand();
		if (command == null) {
			throw new StompProtocolException("Unknown command", "The frame has no STOMP command.");
		}
		if (this.state == State.AWAITING_CONNECT && command != StompCommand.CONNECT && command != StompCommand.STOMP) {
			throw new StompProtocolException("Expected CONNECT or STOMP frame but got " + command,
					"A session starts with a CONNECT (or STOMP) frame.");
		}
		FrameHeaders.checkLimits(frame, body, this.broker.settings());
		if (this.gateway != null && command != StompCommand.CONNECT && command != StompCommand.STOMP
				&& passToApplication(command, frame, body)) {
			return; // the application answers the receipt once its handler returned
		}
		MessageStore store = this.broker.store();
		long markBefore = store.changeMarkOfThisThread();
		switch (command) {
			case CONNECT, STOMP -> connect(frame);
			case SEND -> send(frame, body);
			case SUBSCRIBE -> subscribe(frame);
			case UNSUBSCRIBE -> unsubscribe(frame);
			case ACK, NACK -> settle(frame, command);
			case BEGIN -> begin(frame);
			case COMMIT -> commit(frame);
			case ABORT -> abort(frame);
			case DISCONNECT -> {
				disconnect(frame);
				return;
			}
			default -> throw new StompProtocolException("Unexpected " + command + " frame",
					command + " is a frame the server sends, not the client.");
		}
		long markAfter = store.changeMarkOfThisThread();
		if (markAfter != markBefore) {
			// This frame handed the store changes: a RECEIPT from now on waits for them.
			this.storeMark = Math.max(this.storeMark, markAfter);
		}
		String receipt = frame.getReceipt();
		if (receipt != null && command != StompCommand.CONNECT && command != StompCommand.STOMP) {
			receipt(receipt, AfterReceipt.KEEP_CONNECTION);
		}
	}

	/**
	 * Sends a RECEIPT once every store change this session's frames made so far is
	 * durable: at once when they are (or there were none) and no earlier RECEIPT still
	 * waits, else from the store's writer thread, in order. A client may take a RECEIPT
	 * to cover every frame it sent before, so it waits for the changes of earlier frames
	 * sent without one too.
	 */
	private void receipt(String receiptId, AfterReceipt after) {
		Message<byte[]> receipt = StompFrames.receipt(receiptId);
		MessageStore store = this.broker.store();
		long mark = this.storeMark;
		if (this.receiptsAwaitingStore.get() == 0 && store.isDurable(mark)) {
			write(receipt);
			if (after == AfterReceipt.CLOSE_CONNECTION) {
				this.sink.close();
			}
			return;
		}
		this.receiptsAwaitingStore.incrementAndGet();
		store.whenDurable(mark, (failure) -> {
			this.receiptsAwaitingStore.decrementAndGet();
			if (failure == null) {
				write(receipt);
				if (after == AfterReceipt.CLOSE_CONNECTION) {
					this.sink.close();
				}
			}
			else {
				storeFailed(receiptId, failure);
			}
		});
	}

	/**
	 * The store could not write what a frame of this session changed: the client gets an
	 * ERROR instead of its RECEIPT and the session ends, from the scheduler's thread, as
	 * the store's writer must not take a session's lock.
	 */
	private void storeFailed(String receiptId, Exception failure) {
		StompProtocolException ex = new StompProtocolException("Message store write failed",
				"The broker could not make the frame durable (" + failure.getMessage()
						+ "); it was not receipted. Send it again once the broker's store is writable.");
		try {
			this.broker.scheduler().execute(() -> {
				synchronized (this) {
					fail(ex, receiptId);
				}
			});
		}
		catch (RejectedExecutionException stopping) {
			// The broker is stopping and ends every session itself.
		}
	}

	/**
	 * A SEND or SUBSCRIBE to an application destination goes to the application instead
	 * of a broker destination; any other frame is first shown to the application, which
	 * may refuse it.
	 */
	private boolean passToApplication(StompCommand command, StompHeaderAccessor frame, byte[] body) {
		if (command == StompCommand.SEND || command == StompCommand.SUBSCRIBE) {
			String destination = frame.getDestination();
			if (destination != null && this.gateway.isApplicationDestination(destination)) {
				if (command == StompCommand.SUBSCRIBE) {
					subscribeToApplication(frame, destination);
				}
				this.gateway.toApplication(this, frame, body);
				return true;
			}
		}
		this.gateway.inspect(this, frame, body);
		return false;
	}

	/**
	 * The id a SUBSCRIBE names (1.0 and 1.1 may leave it out: the destination then),
	 * checked against this connection's broker and application subscriptions and their
	 * limit.
	 */
	private String newSubscriptionId(StompHeaderAccessor frame, String destination) {
		String subscriptionId = frame.getFirstNativeHeader(StompHeaderAccessor.STOMP_ID_HEADER);
		if (subscriptionId == null) {
			if (this.version.requiresSubscriptionId()) {
				throw new StompProtocolException("Missing 'id' header on SUBSCRIBE",
						"STOMP " + this.version.text() + " requires every SUBSCRIBE to name its subscription id.");
			}
			subscriptionId = destination;
		}
		if (this.subscriptions.containsKey(subscriptionId) || this.applicationSubscriptions.contains(subscriptionId)) {
			throw new StompProtocolException("Duplicate subscription id '" + subscriptionId + "'",
					"This connection already has a subscription with that id; UNSUBSCRIBE it first or use another id.");
		}
		int max = this.broker.settings().getMaxSubscriptionsPerConnection();
		if (this.subscriptions.size() + this.applicationSubscriptions.size() >= max) {
			throw new StompProtocolException("Too many subscriptions",
					"A connection may hold at most " + max + " subscriptions.");
		}
		return subscriptionId;
	}

	private void subscribeToApplication(StompHeaderAccessor frame, String destination) {
		String subscriptionId = newSubscriptionId(frame, destination);
		this.applicationSubscriptions.add(subscriptionId);
		this.gateway.subscribed(this, subscriptionId, destination, frame);
	}

	private void connect(StompHeaderAccessor frame) {
		if (this.state == State.CONNECTED) {
			throw new StompProtocolException("Already connected", "A session sends CONNECT only once.");
		}
		StompVersion negotiated = StompVersion
			.negotiate(frame.getNativeHeader(StompHeaderAccessor.STOMP_ACCEPT_VERSION_HEADER));
		if (negotiated == null) {
			this.broker.metrics().connectionRefused("version");
			this.broker.metrics().errorSent("Unsupported protocol version");
			write(StompFrames
				.versionError(frame.getFirstNativeHeader(StompHeaderAccessor.STOMP_ACCEPT_VERSION_HEADER)));
			close();
			return;
		}
		this.version = negotiated;
		long[] clientHeartbeat = FrameHeaders.heartBeat(frame);
		StompAuthentication authentication = SessionAccess.authenticate(this.broker, frame, remoteAddress());
		if (!authentication.isGranted()) {
			this.broker.securityAudit().loginRefused(frame.getLogin(), remoteAddress(), authentication.refusalReason());
			this.broker.metrics().failedLogin();
			this.broker.metrics().connectionRefused("authentication");
			refuse(authentication.refusalDelay());
			return;
		}
		this.identity = authentication.identity();
		try {
			SessionAccess.checkConnect(this.broker, this.identity, remoteAddress());
		}
		catch (StompProtocolException ex) {
			this.broker.metrics().connectionRefused("authorization");
			throw ex;
		}
		if (!this.broker.register(this)) {
			this.broker.metrics().connectionRefused("max-connections");
			throw new StompProtocolException("Too many connections",
					"The broker accepts at most " + this.broker.settings().getMaxConnections() + " connections.");
		}
		this.user = this.identity.name();
		// Set only by Spring's relay (through the in-JVM link): names this session's
		// user-destination queues.
		this.relaySessionId = frame.getSessionId();
		this.clientId = frame.getFirstNativeHeader(FrameHeaders.CLIENT_ID);
		cancel(this.connectTimeoutTask);
		this.connectedAtMillis = System.currentTimeMillis();
		this.state = State.CONNECTED;
		if (this.throughGateway && this.broker.applicationGateway() != ApplicationGateway.NONE) {
			// set first: whatever happens next, the gateway hears of the end
			this.gateway = this.broker.applicationGateway();
			this.applicationSessionId = this.gateway.connecting(this, frame, this.identity.name());
			if (this.state == State.CLOSED) {
				return;
			}
		}
		this.heartBeats = HeartBeatMonitor.negotiate(this, clientHeartbeat[0], clientHeartbeat[1]);
		write(StompFrames.connected(negotiated, this.id, this.broker.settings().getServerName(), heartbeatSendMillis(),
				heartbeatReceiveMillis()));
		if (this.gateway != null) {
			this.gateway.connected(this);
		}
	}

	/**
	 * A wrong login or passcode: the session takes no more frames at once, and the ERROR
	 * and close come after the authenticator's delay, on the shared timer, never a
	 * sleeping thread. The message is the same whether or not the login exists.
	 */
	private void refuse(Duration delay) {
		release();
		this.broker.metrics().errorSent("access refused");
		Runnable refusal = () -> {
			this.sink.send(StompFrames.error("access refused", "The login or passcode is wrong.", null));
			this.sink.close();
		};
		if (delay.isZero()) {
			refusal.run();
		}
		else {
			this.broker.scheduler().schedule(refusal, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * The client sent nothing, not even a heart-beat, for longer than the negotiated
	 * interval allows: the session ends with an ERROR. Called by its
	 * {@link HeartBeatMonitor} from the scheduler, holding no lock; takes the session
	 * lock.
	 */
	void heartBeatTimedOut(long silentMillis, long receiveIntervalMillis) {
		synchronized (this) {
			if (this.state != State.CLOSED) {
				fail(new StompProtocolException("Heart-beat timeout", "Nothing was received for " + silentMillis
						+ " ms; the negotiated interval is " + receiveIntervalMillis + " ms."), null);
			}
		}
	}

	private void send(StompHeaderAccessor frame, byte[] body) {
		String destinationName = destinationName(
				FrameHeaders.require(frame, StompHeaderAccessor.STOMP_DESTINATION_HEADER, "SEND"));
		Map<String, List<String>> headers = FrameHeaders.messageHeaders(frame);
		SessionAccess.checkSend(this.broker, this.identity, this.sink, destinationName, frame);
		Transaction transaction = transactionOf(frame, "SEND");
		DestinationRegistry destinations = this.broker.destinations();
		String replyTo = frame.getFirstNativeHeader(FrameHeaders.REPLY_TO);
		if (replyTo != null && replyTo.startsWith(TEMP_QUEUE)) {
			// so that whoever answers reaches this connection's queue, not one of its own
			headers.put(FrameHeaders.REPLY_TO, List.of(destinationName(replyTo)));
		}
		boolean persistent = FrameHeaders.isPersistent(frame) || destinations.isPersistent(destinationName);
		long expiration = expiration(FrameHeaders.expires(frame), destinationName);
		if (this.messageIdBase == null) {
			this.messageIdBase = this.broker.messageIdPrefix() + this.id + "-";
		}
		BrokerMessage message = new BrokerMessage(this.messageIdBase + this.messageSequence.incrementAndGet(),
				destinationName, headers, body, 0, persistent, expiration, 0);
		Destination destination;
		if (destinationName.startsWith(DestinationRegistry.TEMP_QUEUE_PREFIX)
				&& !this.temporaryQueues.contains(destinationName)) {
			destination = destinations.find(destinationName);
			if (destination == null) {
				// its connection is gone, and with it whoever would read a reply (as
				// RabbitMQ does)
				if (logger.isDebugEnabled()) {
					logger.debug("Session " + this.id + " sent to " + destinationName + ", which no longer exists");
				}
				return;
			}
		}
		else {
			destination = destinations.resolve(destinationName);
		}
		if (transaction != null) {
			transaction.addSend(destination, message);
		}
		else {
			destination.publish(message, this);
			this.broker.metrics().message(BrokerMetrics.MessageEvent.PUBLISHED, destination.type());
		}
	}

	/**
	 * The {@code expires} header's time (epoch millis, 0 for never) or, without one (-1),
	 * the destination's time-to-live.
	 */
	private long expiration(long expires, String destinationName) {
		if (expires >= 0) {
			return expires;
		}
		long ttl = this.broker.destinations().timeToLiveMillis(destinationName);
		return (ttl > 0) ? System.currentTimeMillis() + ttl : 0;
	}

	/**
	 * The broker-wide name of a destination a frame names: {@code /temp-queue/x} is this
	 * connection's own queue, known to others as {@code /remote-temp-queue/<session>.x}.
	 */
	private String destinationName(String name) {
		if (!name.startsWith(TEMP_QUEUE)) {
			return name;
		}
		String unique = DestinationRegistry.TEMP_QUEUE_PREFIX + this.broker.messageIdPrefix() + this.id + "."
				+ name.substring(TEMP_QUEUE.length());
		this.temporaryQueues.add(unique);
		return unique;
	}

	private String durableQueueName(String durableName, String command) {
		if (this.clientId == null || this.clientId.isBlank()) {
			throw new StompProtocolException("Durable subscription without client-id",
					command + " names durable subscription '" + durableName + "', which needs a client-id header on "
							+ "CONNECT to find it again after a reconnect.");
		}
		return DestinationRegistry.DURABLE_PREFIX + this.clientId + "/" + durableName;
	}

	private void begin(StompHeaderAccessor frame) {
		String transactionId = FrameHeaders.require(frame, FrameHeaders.TRANSACTION, "BEGIN");
		if (this.transactions.containsKey(transactionId)) {
			throw new StompProtocolException("Transaction '" + transactionId + "' is already open",
					"This connection already has a transaction open with that id; COMMIT or ABORT it first, or use another id.");
		}
		int max = this.broker.settings().getMaxTransactionsPerConnection();
		if (this.transactions.size() >= max) {
			throw new StompProtocolException("Too many open transactions",
					"A connection may have at most " + max + " transactions open at once.");
		}
		this.transactions.put(transactionId, new Transaction(transactionId));
	}

	private void commit(StompHeaderAccessor frame) {
		removeTransaction(frame, "COMMIT").commit(this);
	}

	private void abort(StompHeaderAccessor frame) {
		removeTransaction(frame, "ABORT").abort();
	}

	/** The open transaction a COMMIT or ABORT ends. */
	private Transaction removeTransaction(StompHeaderAccessor frame, String command) {
		String transactionId = FrameHeaders.require(frame, FrameHeaders.TRANSACTION, command);
		Transaction transaction = this.transactions.remove(transactionId);
		if (transaction == null) {
			throw unknownTransaction(command, transactionId);
		}
		return transaction;
	}

	/**
	 * The open transaction a SEND, ACK or NACK belongs to, {@code null} for none; one
	 * more frame counts against its limit.
	 */
	private Transaction transactionOf(StompHeaderAccessor frame, String command) {
		String transactionId = frame.getFirstNativeHeader(FrameHeaders.TRANSACTION);
		if (transactionId == null) {
			return null;
		}
		Transaction transaction = this.transactions.get(transactionId);
		if (transaction == null) {
			throw unknownTransaction(command, transactionId);
		}
		int max = this.broker.settings().getMaxFramesPerTransaction();
		if (transaction.frames() >= max) {
			throw new StompProtocolException("Transaction '" + transactionId + "' is too large",
					"A transaction may hold at most " + max + " SEND, ACK and NACK frames; COMMIT more often. "
							+ "The transaction is aborted.");
		}
		return transaction;
	}

	private static StompProtocolException unknownTransaction(String command, String transactionId) {
		return new StompProtocolException(command + " names unknown transaction '" + transactionId + "'",
				"No transaction with that id is open on this connection: BEGIN it first "
						+ "(it may have been committed or aborted already).");
	}

	private void subscribe(StompHeaderAccessor frame) {
		String destinationName = FrameHeaders.require(frame, StompHeaderAccessor.STOMP_DESTINATION_HEADER, "SUBSCRIBE");
		String namedDestination = destinationName;
		String userDestination = (this.gateway != null) ? this.gateway.userDestination(this, frame) : null;
		if (userDestination != null) {
			// access rules judge the name the client used, as for a browser's user
			// destination
			frame.setNativeHeader(FrameHeaders.ORIGINAL_DESTINATION, destinationName);
			destinationName = userDestination;
		}
		String subscriptionId = newSubscriptionId(frame, namedDestination);
		AckMode ackMode = FrameHeaders.ackMode(frame);
		SessionAccess.checkSubscribe(this.broker, this.identity, this.sink, destinationName, frame);
		int prefetch = prefetchOf(frame);
		String selectorHeader = frame.getFirstNativeHeader(FrameHeaders.SELECTOR);
		MessageSelector selector = FrameHeaders.selector(selectorHeader);
		DestinationRegistry destinations = this.broker.destinations();
		destinationName = destinationName(destinationName);
		if (destinationName.startsWith(DestinationRegistry.TEMP_QUEUE_PREFIX)
				&& !this.temporaryQueues.contains(destinationName)) {
			throw new StompProtocolException("Cannot subscribe to " + destinationName,
					"A temporary queue is private to the connection that made it; others may only SEND to it.");
		}
		String durableName = FrameHeaders.durableSubscriptionName(frame);
		Subscription subscription;
		do {
			// A queue reclaimed between resolve and subscribe refuses; its name resolves
			// anew.
			Destination destination = destinations.resolve(destinationName);
			MessageSelector subscriptionSelector = selector;
			if (durableName != null && destination.type() == DestinationType.TOPIC) {
				String queueName = durableQueueName(durableName, "SUBSCRIBE");
				destination = destinations.durableSubscription(queueName, destinationName, selector);
				this.broker.store()
					.saveDurableSubscription(
							new MessageStore.DurableSubscriptionRecord(queueName, destinationName, selectorHeader));
				// the binding filters what the subscription's queue receives
				subscriptionSelector = null;
			}
			subscription = new Subscription(this, subscriptionId, destination, ackMode, prefetch, subscriptionSelector);
		}
		while (!subscription.destination().subscribe(subscription));
		this.subscriptions.put(subscriptionId, subscription);
		if (this.gateway != null) {
			this.gateway.subscribed(this, subscriptionId, namedDestination, frame);
		}
	}

	/**
	 * The un-acked window a SUBSCRIBE asks for, or else the broker's default; 0 is
	 * unlimited, up to the broker's cap on un-acked messages per subscription.
	 */
	private int prefetchOf(StompHeaderAccessor frame) {
		int requested = FrameHeaders.prefetch(frame);
		if (requested < 0) {
			requested = this.broker.settings().getDefaultPrefetch();
		}
		int cap = this.broker.settings().getMaxUnackedPerSubscription();
		return (cap > 0 && (requested == 0 || requested > cap)) ? cap : requested;
	}

	private void unsubscribe(StompHeaderAccessor frame) {
		String subscriptionId = frame.getFirstNativeHeader(StompHeaderAccessor.STOMP_ID_HEADER);
		if (subscriptionId == null && !this.version.requiresSubscriptionId()) {
			subscriptionId = frame.getFirstNativeHeader(StompHeaderAccessor.STOMP_DESTINATION_HEADER);
		}
		if (subscriptionId == null) {
			throw new StompProtocolException("Missing 'id' header on UNSUBSCRIBE",
					"UNSUBSCRIBE names the id given on SUBSCRIBE.");
		}
		if (this.applicationSubscriptions.remove(subscriptionId)) {
			this.gateway.unsubscribed(this, subscriptionId, frame);
			return;
		}
		Subscription subscription = this.subscriptions.remove(subscriptionId);
		String durableName = FrameHeaders.durableSubscriptionName(frame);
		if (subscription == null && durableName == null) {
			throw new StompProtocolException("No subscription with id '" + subscriptionId + "'",
					"UNSUBSCRIBE names the id given on SUBSCRIBE.");
		}
		if (subscription != null) {
			subscription.destination().unsubscribe(subscription);
		}
		if (durableName != null) {
			// naming the durable subscription ends it for good, with what it kept
			this.broker.destinations().removeDurableSubscription(durableQueueName(durableName, "UNSUBSCRIBE"));
		}
		if (this.gateway != null && subscription != null) {
			this.gateway.unsubscribed(this, subscriptionId, frame);
		}
	}

	/**
	 * The ACK id a 1.2 MESSAGE carries. It names the subscription and the message, so an
	 * ACK finds its delivery without a second index to keep in step.
	 */
	String ackIdFor(Subscription subscription, BrokerMessage message) {
		return this.version.acksById() ? subscription.id() + "|" + message.messageId() : null;
	}

	/** An ACK or a NACK: the message is done with, or to be redelivered. */
	private void settle(StompHeaderAccessor frame, StompCommand ackOrNack) {
		boolean nack = ackOrNack == StompCommand.NACK;
		String command = ackOrNack.name();
		if (nack && !this.version.supportsNack()) {
			throw new StompProtocolException("NACK is not part of STOMP 1.0",
					"Connect with accept-version:1.1 or 1.2 to use NACK.");
		}
		String subscriptionId;
		String messageId;
		String ackId = frame.getFirstNativeHeader(StompHeaderAccessor.STOMP_ID_HEADER);
		if (this.version.acksById() && ackId != null) {
			int separator = ackId.lastIndexOf('|');
			if (separator < 0) {
				throw unknownAck(command, ackId);
			}
			subscriptionId = ackId.substring(0, separator);
			messageId = ackId.substring(separator + 1);
		}
		else {
			messageId = frame.getMessageId();
			if (messageId == null) {
				throw new StompProtocolException(
						"Missing '" + (this.version.acksById() ? "id" : "message-id") + "' header on " + command,
						command + " names the message it acknowledges.");
			}
			subscriptionId = frame.getFirstNativeHeader(StompHeaderAccessor.STOMP_SUBSCRIPTION_HEADER);
		}
		Transaction transaction = transactionOf(frame, command);
		Subscription subscription = findUnacked(subscriptionId, messageId);
		if (subscription == null) {
			if (allSubscriptionsAutoAck(subscriptionId)) {
				// auto mode acknowledged it on delivery: the client's ACK is redundant,
				// not wrong
				return;
			}
			throw unknownAck(command, (ackId != null) ? ackId : messageId);
		}
		List<BrokerMessage> settled = subscription.acknowledge(messageId);
		Destination destination = subscription.destination();
		this.broker.metrics()
			.message(nack ? BrokerMetrics.MessageEvent.NACKED : BrokerMetrics.MessageEvent.ACKNOWLEDGED,
					destination.type(), settled.size());
		if (transaction != null) {
			transaction.addSettlement(subscription, settled, ackOrNack);
		}
		else if (nack) {
			destination.nacked(subscription, settled);
		}
		else {
			destination.acknowledged(settled);
		}
		destination.dispatch();
	}

	private Subscription findUnacked(String subscriptionId, String messageId) {
		if (subscriptionId != null) {
			Subscription subscription = this.subscriptions.get(subscriptionId);
			return (subscription != null && subscription.isUnacked(messageId)) ? subscription : null;
		}
		for (Subscription subscription : this.subscriptions.values()) {
			if (subscription.isUnacked(messageId)) {
				return subscription;
			}
		}
		return null;
	}

	private boolean allSubscriptionsAutoAck(String subscriptionId) {
		if (subscriptionId != null) {
			Subscription subscription = this.subscriptions.get(subscriptionId);
			return subscription != null && subscription.ackMode() == AckMode.AUTO;
		}
		return this.subscriptions.values().stream().allMatch((s) -> s.ackMode() == AckMode.AUTO);
	}

	private static StompProtocolException unknownAck(String command, String id) {
		return new StompProtocolException(command + " of unknown message '" + id + "'",
				"No un-acknowledged message of this connection has that id; it was acknowledged already, "
						+ "or belongs to another connection.");
	}

	private void disconnect(StompHeaderAccessor frame) {
		String receipt = frame.getReceipt();
		if (receipt != null) {
			// The session ends now; the connection once the RECEIPT (after the store's
			// write) is out.
			release();
			receipt(receipt, AfterReceipt.CLOSE_CONNECTION);
			return;
		}
		close();
	}

	/**
	 * The transport found the client's bytes broken (a malformed frame, a limit crossed
	 * while decoding): the client gets the ERROR and the connection closes.
	 */
	public void reject(StompProtocolException ex) {
		synchronized (this) {
			if (this.state != State.CLOSED) {
				fail(ex, null);
			}
		}
	}

	/**
	 * A MESSAGE for one of this session's subscriptions; any thread may call it, holding
	 * a destination's lock. Returns {@code false} if the session takes no more deliveries
	 * (it is closing): a queue then keeps the message for another consumer.
	 */
	boolean deliver(BrokerMessage message, String subscriptionId, String ackId) {
		if (!isTakingDeliveries()) {
			return false;
		}
		if (this.sink.pendingBytes() > this.broker.settings().getMaxPendingBytesPerConnection()) {
			failLater(new StompProtocolException("Slow consumer",
					"The client fell more than " + this.broker.settings().getMaxPendingBytesPerConnection()
							+ " bytes behind its subscriptions and was disconnected."));
			return false;
		}
		if (this.gateway != null && this.gateway.changesForClient(message)) {
			write(this.gateway.toClient(this, StompFrames.message(message, subscriptionId, ackId)));
			return true;
		}
		wroteToClient();
		// No frame model on the way: a byte transport encodes straight from the shared
		// message.
		this.sink.sendMessage(message, subscriptionId, ackId);
		return true;
	}

	/** Connected and not on its way out: destinations may hand it messages. */
	boolean isTakingDeliveries() {
		return this.state == State.CONNECTED && !this.failing;
	}

	/**
	 * Ends the session with an ERROR from the scheduler's thread: the caller may hold a
	 * destination's lock, and the session lock is never taken under one. From now on the
	 * session takes no deliveries.
	 */
	private void failLater(StompProtocolException ex) {
		if (this.failing) {
			return;
		}
		this.failing = true;
		try {
			this.broker.scheduler().execute(() -> {
				synchronized (this) {
					if (this.state != State.CLOSED) {
						fail(ex, null);
					}
				}
			});
		}
		catch (RejectedExecutionException stopping) {
			// The broker is stopping and ends every session itself.
		}
	}

	boolean isWritable() {
		return this.sink.isWritable();
	}

	/**
	 * A topic subscriber holds as many un-acked messages as its window allows and another
	 * arrived: a topic cannot keep it back, so the subscriber is disconnected rather than
	 * left to grow without bound. Called with the subscription's lock held.
	 */
	void unackedWindowOverflow(Subscription subscription) {
		failLater(new StompProtocolException("Too many un-acked messages",
				"Subscription '" + subscription.id() + "' on " + subscription.destination().name() + " holds "
						+ subscription.prefetch()
						+ " un-acknowledged messages, its prefetch window; ACK them, or subscribe with "
						+ "a larger prefetch-count."));
	}

	/**
	 * A queue this session sent to is full: stop reading from the client until it drains
	 * (TCP back-pressure). Frames already read are still handled. Called under the
	 * queue's lock.
	 */
	void throttle() {
		synchronized (this.flowControl) {
			if (this.heldBackBy++ == 0) {
				this.readingSuspended = true;
				this.sink.suspendReading();
			}
		}
	}

	/** A queue that held this producer back has drained to its low-water mark. */
	void unthrottle() {
		synchronized (this.flowControl) {
			if (this.heldBackBy > 0 && --this.heldBackBy == 0) {
				// The client could not be read meanwhile: its silence was ours, not its.
				markActivity();
				this.readingSuspended = false;
				this.sink.resumeReading();
			}
		}
	}

	/** Whether a full queue holds this producer back. */
	public boolean isReadingSuspended() {
		return this.readingSuspended;
	}

	/** The transport caught up: queues may hand this session messages again. */
	public void resumeDelivery() {
		List<Subscription> current;
		synchronized (this) {
			current = new ArrayList<>(this.subscriptions.values());
		}
		for (Subscription subscription : current) {
			subscription.destination().dispatch();
		}
	}

	private void write(Message<byte[]> frame) {
		wroteToClient();
		this.sink.send(frame);
	}

	/** A frame goes to the client: it counts as a beat. */
	private void wroteToClient() {
		HeartBeatMonitor monitor = this.heartBeats;
		if (monitor != null) {
			monitor.wrote();
		}
	}

	private void fail(StompProtocolException ex, String receipt) {
		this.broker.metrics().errorSent(ex.getMessage());
		if (logger.isDebugEnabled()) {
			logger.debug("Session " + this.id + " from " + remoteAddress() + ": " + ex.getMessage());
		}
		write(StompFrames.error(ex.getMessage(), ex.details(), receipt));
		close();
	}

	private void connectTimedOut() {
		synchronized (this) {
			if (this.state == State.AWAITING_CONNECT) {
				fail(new StompProtocolException("No CONNECT frame in time", "A connection must send CONNECT within "
						+ this.broker.settings().getConnectTimeout().toMillis() + " ms."), null);
			}
		}
	}

	/**
	 * A frame the application sends this client (a reply to its subscription, the RECEIPT
	 * of a frame its handler took); any thread may call it. Dropped once the session is
	 * ending.
	 */
	public void sendFromApplication(Message<byte[]> frame) {
		if (isTakingDeliveries()) {
			write(frame);
		}
	}

	/**
	 * The application failed a frame of this client: the client gets the ERROR and the
	 * connection closes. Any thread may call it, but not one holding a destination's
	 * lock.
	 */
	public void failFromApplication(String message, String details, String receiptId) {
		synchronized (this) {
			if (this.state != State.CLOSED) {
				fail(new StompProtocolException(message, details), receiptId);
			}
		}
	}

	/**
	 * The broker or this session's transport is stopping: tell the client why before the
	 * connection goes.
	 */
	public void shutdown() {
		synchronized (this) {
			if (this.state != State.CLOSED) {
				fail(new StompProtocolException("Broker shutting down",
						"The broker is stopping; reconnect when it is back."), null);
			}
		}
	}

	/** Ends the session and closes the connection (DISCONNECT, or after an ERROR). */
	private void close() {
		release();
		this.sink.close();
	}

	/**
	 * The transport lost the connection (socket closed or reset). Whatever the client had
	 * not acknowledged goes back to its queue.
	 */
	public void transportClosed() {
		synchronized (this) {
			release();
		}
	}

	private void release() {
		if (this.state == State.CLOSED) {
			return;
		}
		boolean wasConnected = this.state == State.CONNECTED;
		this.state = State.CLOSED;
		cancel(this.connectTimeoutTask);
		HeartBeatMonitor monitor = this.heartBeats;
		if (monitor != null) {
			monitor.stop();
		}
		// Before the subscriptions end, so what the transactions acked is un-acked again
		// and requeued.
		for (Transaction transaction : this.transactions.values()) {
			transaction.abort();
		}
		this.transactions.clear();
		for (Subscription subscription : this.subscriptions.values()) {
			subscription.destination().unsubscribe(subscription);
		}
		this.subscriptions.clear();
		if (this.relaySessionId != null) {
			this.broker.destinations().deleteSessionQueues(this.relaySessionId);
		}
		if (this.applicationSessionId != null) {
			this.broker.destinations().deleteSessionQueues(this.applicationSessionId);
		}
		this.applicationSubscriptions.clear();
		for (String temporaryQueue : this.temporaryQueues) {
			this.broker.destinations().delete(temporaryQueue);
		}
		this.temporaryQueues.clear();
		this.broker.unregister(this, wasConnected);
		if (this.gateway != null) {
			this.gateway.disconnected(this);
		}
	}

	private static void cancel(ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

	/**
	 * The transport this session came over: {@code tcp}, {@code tls} or
	 * {@code websocket}.
	 */
	public String transport() {
		return this.sink.transport();
	}

	/** When CONNECT completed, in epoch millis; 0 while it has not. */
	public long connectedAtMillis() {
		return this.connectedAtMillis;
	}

	/** The negotiated interval at which the broker beats, in millis; 0 for none. */
	public long heartbeatSendMillis() {
		HeartBeatMonitor monitor = this.heartBeats;
		return (monitor != null) ? monitor.sendIntervalMillis() : 0;
	}

	/**
	 * The negotiated interval within which the client must show it is alive, in millis; 0
	 * for none.
	 */
	public long heartbeatReceiveMillis() {
		HeartBeatMonitor monitor = this.heartBeats;
		return (monitor != null) ? monitor.receiveIntervalMillis() : 0;
	}

	/** The session's subscriptions now, a copy. */
	public List<Subscription> subscriptions() {
		synchronized (this) {
			return new ArrayList<>(this.subscriptions.values());
		}
	}

	/**
	 * Messages delivered to this session and not yet acknowledged, over all its
	 * subscriptions.
	 */
	public int unackedCount() {
		int count = 0;
		for (Subscription subscription : subscriptions()) {
			count += subscription.unackedCount();
		}
		return count;
	}

	/**
	 * The transport read bytes from the client; it calls this, the engine only adds them
	 * up.
	 */
	public void bytesReceived(int bytes) {
		this.bytesReceived.add(bytes);
		this.broker.metrics().bytesReceived(bytes);
	}

	/** The transport wrote (or queued) bytes for the client. */
	public void bytesSent(int bytes) {
		this.bytesSent.add(bytes);
		this.broker.metrics().bytesSent(bytes);
	}

	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	public long bytesSent() {
		return this.bytesSent.sum();
	}

	/**
	 * An operator closes this connection: the client gets an ERROR saying so and why, and
	 * what it had not acknowledged goes back to its queues. Returns {@code false} if the
	 * session had already ended.
	 */
	public boolean closeByOperator(String reason) {
		synchronized (this) {
			if (this.state == State.CLOSED) {
				return false;
			}
			fail(new StompProtocolException("Connection closed by the broker's operator",
					(reason == null || reason.isBlank()) ? "An operator of the broker closed this connection."
							: reason),
					null);
			return true;
		}
	}

	@Override
	public String toString() {
		return "StompSession[" + this.id + ", " + remoteAddress() + "]";
	}

}
