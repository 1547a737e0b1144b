package io.github.stompspringboot.bridge;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.stompspringboot.broker.ApplicationGateway;
import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompIdentity;
import io.github.stompspringboot.broker.StompProtocolException;
import io.github.stompspringboot.broker.StompSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.DestinationPatternsMessageCondition;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.simp.SimpAttributes;
import org.springframework.messaging.simp.SimpAttributesContextHolder;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageMappingInfo;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.DefaultUserDestinationResolver;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.simp.user.UserDestinationResult;
import org.springframework.messaging.support.AbstractMessageChannel;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.ImmutableMessageChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.MimeType;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.messaging.SessionConnectEvent;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

/**
 * Brings the broker's TCP clients into the application the way Spring brings browsers:
 * <ul>
 * <li>a SEND or SUBSCRIBE to an application destination prefix goes into the client
 * inbound channel with the session's id, user and attributes, so {@code @MessageMapping}
 * and {@code @SubscribeMapping} methods handle it; its RECEIPT is written once every
 * handler of the channel returned, an unhandled failure becomes an ERROR;</li>
 * <li>what the application sends to such a session on the client outbound channel (a
 * {@code @SubscribeMapping} reply, an ERROR) goes to the engine session, as Spring's
 * {@code SubProtocolWebSocketHandler} routes a browser's by session id;</li>
 * <li>CONNECT, SUBSCRIBE, UNSUBSCRIBE and the end of a session publish Spring's session
 * events, so {@code DefaultSimpUserRegistry} knows the session and its
 * subscriptions;</li>
 * <li>a SUBSCRIBE to a user destination is resolved by Spring's
 * {@link UserDestinationResolver} to the session's own broker destination;</li>
 * <li>the application's inbound channel interceptors see every other frame first and may
 * refuse it (unless turned off).</li>
 * </ul>
 * Frames to broker destinations stay on the engine's direct path.
 */
public final class TcpClientBridge implements ApplicationGateway, SmartLifecycle {

	/**
	 * The header on every message and event of a TCP client's session, and the session
	 * attribute, that tells the transport apart: its value is {@value #TCP}. Browser
	 * sessions carry neither.
	 */
	public static final String TRANSPORT_HEADER = "stompTransport";

	public static final String TCP = "tcp";

	/**
	 * Carries the {@link PendingFrame} of a TCP client's SEND or SUBSCRIBE through the
	 * channel.
	 */
	static final String FRAME_HEADER = "stompTcpFrame";

	private static final Log logger = LogFactory.getLog(TcpClientBridge.class);

	private static final byte[] EMPTY = new byte[0];

	/**
	 * Packages of the starter itself, whose inbound interceptors are not the
	 * application's.
	 */
	private static final Set<String> STARTER_PACKAGES = Set.of("io.github.stompspringboot.autoconfigure",
			"io.github.stompspringboot.bridge", "io.github.stompspringboot.broker",
			"io.github.stompspringboot.transport.injvm", "io.github.stompspringboot.transport.tcp");

	private final StompBroker broker;

	private volatile Function<StompIdentity, Principal> principals = (identity) -> new TcpClientPrincipal(
			identity.name());

	private final AbstractSubscribableChannel clientInboundChannel;

	private final AbstractSubscribableChannel clientOutboundChannel;

	private final AbstractSubscribableChannel brokerChannel;

	private final SimpAnnotationMethodMessageHandler annotationHandler;

	private final UserDestinationResolver userDestinationResolver;

	private final ApplicationEventPublisher events;

	private final boolean inspectFrames;

	private final int maxPendingFrames;

	private final Map<String, LinkedSession> byEngineId = new ConcurrentHashMap<>();

	/**
	 * By Spring's session id; a session stays until the frames it sent before it ended
	 * were handled.
	 */
	private final Map<String, LinkedSession> bySpringId = new ConcurrentHashMap<>();

	private final SecureRandom random = new SecureRandom();

	private final AtomicLong messageSequence = new AtomicLong();

	private final ChannelInterceptor handledInterceptor = new HandledInterceptor();

	private final ChannelInterceptor outboundInterceptor = new OutboundInterceptor();

	private final ChannelInterceptor brokerChannelInterceptor = new BrokerChannelInterceptor();

	/**
	 * Runs the application's inbound interceptors over frames that stay with the engine.
	 */
	private final InspectionChannel inspection = new InspectionChannel();

	private volatile List<String> applicationPrefixes = List.of();

	private volatile @Nullable String userPrefix;

	private volatile boolean running;

	private boolean interceptorsInstalled;

	/**
	 * @param inspectFrames whether the application's inbound channel interceptors see the
	 * frames that stay with the engine (CONNECT, broker SEND and SUBSCRIBE, ACK...)
	 * @param maxPendingFrames how many frames for the application one session may have
	 * waiting for the handlers
	 */
	public TcpClientBridge(StompBroker broker, AbstractSubscribableChannel clientInboundChannel,
			AbstractSubscribableChannel clientOutboundChannel, AbstractSubscribableChannel brokerChannel,
			SimpAnnotationMethodMessageHandler annotationHandler, UserDestinationResolver userDestinationResolver,
			ApplicationEventPublisher events, boolean inspectFrames, int maxPendingFrames) {
		this.broker = broker;
		this.clientInboundChannel = clientInboundChannel;
		this.clientOutboundChannel = clientOutboundChannel;
		this.brokerChannel = brokerChannel;
		this.annotationHandler = annotationHandler;
		this.userDestinationResolver = userDestinationResolver;
		this.events = events;
		this.inspectFrames = inspectFrames;
		this.maxPendingFrames = maxPendingFrames;
	}

	/**
	 * How a TCP session's user appears to the application ({@code Principal} arguments,
	 * {@code simpUser}, inbound interceptors): by default a {@link TcpClientPrincipal}
	 * with the name; with Spring Security, an {@code Authentication} whose authorities
	 * are the session's groups, so the application's messaging authorization judges TCP
	 * clients as browsers.
	 */
	public void setPrincipals(Function<StompIdentity, Principal> principals) {
		this.principals = principals;
	}

	// Lifecycle: before the TCP listener starts, after it stops.

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.applicationPrefixes = List.copyOf(this.annotationHandler.getDestinationPrefixes());
		this.userPrefix = (this.userDestinationResolver instanceof DefaultUserDestinationResolver resolver)
				? resolver.getDestinationPrefix() : null;
		if (!this.interceptorsInstalled) {
			// Once for good, never removed: ExecutorSubscribableChannel.removeInterceptor
			// leaves an ExecutorChannelInterceptor in its handler-side list (Spring
			// Framework 7.0), so a stop and start (a paused test context) would count
			// every handler twice. With no TCP session they do nothing.
			this.clientInboundChannel.addInterceptor(this.handledInterceptor);
			this.clientOutboundChannel.addInterceptor(this.outboundInterceptor);
			// First, while a reply's headers are still as its sender made them.
			this.brokerChannel.addInterceptor(0, this.brokerChannelInterceptor);
			this.interceptorsInstalled = true;
		}
		if (this.inspectFrames) {
			this.inspection.setInterceptors(applicationInterceptors());
		}
		this.broker.setApplicationGateway(this);
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.broker.setApplicationGateway(ApplicationGateway.NONE);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

	/**
	 * The interceptors the application put on the client inbound channel. Spring's own
	 * (the one that makes headers immutable, the one that keeps a session's frames in
	 * order) are about the channel's dispatch, and the starter's own are about browsers
	 * and the relay: running them over every broker frame of a TCP client would only cost
	 * time.
	 */
	private List<ChannelInterceptor> applicationInterceptors() {
		return this.clientInboundChannel.getInterceptors()
			.stream()
			.filter((interceptor) -> !(interceptor instanceof ImmutableMessageChannelInterceptor)
					&& interceptor != this.handledInterceptor
					&& !interceptor.getClass().getName().startsWith("org.springframework.messaging.simp.broker.")
					// CSRF protects a browser's cookie-borne login; a TCP client has
					// none, and its CONNECT carries no token a CSRF interceptor could
					// find.
					&& !interceptor.getClass().getName().startsWith("org.springframework.security.messaging.web.csrf.")
					&& !STARTER_PACKAGES.contains(interceptor.getClass().getPackageName()))
			.toList();
	}

	/** Live TCP sessions as Spring knows them, by Spring session id. */
	public boolean isTcpSession(@Nullable String springSessionId) {
		return springSessionId != null && this.bySpringId.containsKey(springSessionId);
	}

	// ApplicationGateway: the engine's calls, on the session's thread.

	@Override
	public String connecting(StompSession session, StompHeaderAccessor frame, @Nullable String user) {
		// Unguessable: a SockJS client chooses its own session id and must not pick a TCP
		// client's.
		String id = "tcp-" + session.id() + "-" + Long.toHexString(this.random.nextLong() & Long.MAX_VALUE);
		Map<String, Object> attributes = new ConcurrentHashMap<>();
		attributes.put(TRANSPORT_HEADER, TCP);
		Principal principal = (user != null) ? this.principals.apply(session.identity()) : null;
		LinkedSession linked = new LinkedSession(session, id, principal, attributes);
		this.byEngineId.put(session.id(), linked);
		this.bySpringId.put(id, linked);
		StompHeaderAccessor connect = accessor(linked, frame);
		connect.setUser(principal);
		Message<byte[]> message = build(connect, EMPTY);
		if (isInspecting()) {
			InspectionChannel channel = new InspectionChannel();
			channel.setInterceptors(this.inspection.getInterceptors());
			inspect(channel, message, frame.getCommand());
			message = channel.passed;
			if (principal == null) {
				// Nobody logged in to the broker: the user an interceptor set, as for a
				// browser.
				linked.user = SimpMessageHeaderAccessor.getUser(message.getHeaders());
			}
		}
		if (!this.byEngineId.containsKey(session.id())) {
			// an interceptor answered with an ERROR, which ended the session
			throw new StompProtocolException("Refused by the application");
		}
		linked.connectMessage = message;
		publish(linked, new SessionConnectEvent(this, message, linked.user));
		return id;
	}

	@Override
	public void connected(StompSession session) {
		LinkedSession linked = this.byEngineId.get(session.id());
		if (linked == null) {
			return;
		}
		StompHeaderAccessor connected = StompHeaderAccessor.create(StompCommand.CONNECTED);
		connected.setSessionId(linked.id);
		connected.setSessionAttributes(linked.attributes);
		connected.setUser(linked.user);
		connected.setHeader(TRANSPORT_HEADER, TCP);
		connected.setHeader(SimpMessageHeaderAccessor.CONNECT_MESSAGE_HEADER, linked.connectMessage);
		publish(linked, new SessionConnectedEvent(this, build(connected, EMPTY), linked.user));
	}

	@Override
	public boolean isApplicationDestination(String destination) {
		for (String prefix : this.applicationPrefixes) {
			if (destination.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void toApplication(StompSession session, StompHeaderAccessor frame, byte[] body) {
		LinkedSession linked = linkedSession(session);
		StompCommand command = frame.getCommand();
		String destination = frame.getDestination();
		if (frame.getFirstNativeHeader("transaction") != null) {
			throw new StompProtocolException("Application destination " + destination + " is not transactional",
					"A " + command + " to an application destination is handled at once: send it outside "
							+ "BEGIN/COMMIT, or to a broker destination.");
		}
		if (!this.annotationHandler.isRunning()) {
			throw new StompProtocolException("Application not ready", "The application's message handlers are "
					+ "not running (it is starting or stopping); connect again in a moment.");
		}
		String receipt = frame.getReceipt();
		PendingFrame pending = new PendingFrame(linked, command.name(), destination, receipt);
		StompHeaderAccessor accessor = accessor(linked, frame);
		accessor.setHeader(FRAME_HEADER, pending);
		Message<byte[]> message = build(accessor, body);
		if (!hasHandler(message, destination)) {
			logger.warn("No " + ((command == StompCommand.SEND) ? "@MessageMapping" : "@SubscribeMapping")
					+ " method for " + command + " to " + destination + " from TCP client " + session.remoteAddress()
					+ ((receipt != null) ? "; it gets an ERROR for its receipt" : "; dropped"));
			if (receipt != null) {
				throw new StompProtocolException("No handler for " + destination,
						"The application has no "
								+ ((command == StompCommand.SEND) ? "@MessageMapping" : "@SubscribeMapping")
								+ " method for this destination.");
			}
			return;
		}
		pending.setMessage(message);
		if (!linked.enqueue(pending, this.maxPendingFrames)) {
			throw new StompProtocolException("Too many frames waiting for the application",
					"At most " + this.maxPendingFrames + " SEND and SUBSCRIBE frames to application destinations of "
							+ "one connection may wait for the application's handlers "
							+ "(stomp.websocket.tcp-clients.max-pending-frames); wait for receipts.");
		}
		sendNext(linked);
	}

	@Override
	public void inspect(StompSession session, StompHeaderAccessor frame, byte[] body) {
		if (!isInspecting()) {
			return;
		}
		LinkedSession linked = linkedSession(session);
		Message<byte[]> message = build(accessor(linked, frame), body);
		if (frame.getCommand() == StompCommand.DISCONNECT) {
			try {
				this.inspection.send(message);
			}
			catch (RuntimeException ex) {
				// the client leaves anyway
				logger.debug("An inbound interceptor failed on a TCP client's DISCONNECT", ex);
			}
			return;
		}
		inspect(this.inspection, message, frame.getCommand());
	}

	@Override
	public @Nullable String userDestination(StompSession session, StompHeaderAccessor frame) {
		String destination = frame.getDestination();
		String prefix = this.userPrefix;
		if (destination == null || (prefix != null && !destination.startsWith(prefix))) {
			return null;
		}
		LinkedSession linked = linkedSession(session);
		StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setDestination(destination);
		subscribe.setSessionId(linked.id);
		subscribe.setUser(linked.user);
		UserDestinationResult result;
		try {
			result = this.userDestinationResolver.resolveDestination(build(subscribe, EMPTY));
		}
		catch (RuntimeException ex) {
			throw new StompProtocolException("Invalid user destination " + destination, ex.getMessage());
		}
		if (result == null) {
			return null;
		}
		if (result.getTargetDestinations().size() != 1) {
			throw new StompProtocolException("Invalid user destination " + destination,
					"A user destination to subscribe to names no user, as in /user/queue/reply.");
		}
		return result.getTargetDestinations().iterator().next();
	}

	@Override
	public void subscribed(StompSession session, String subscriptionId, String destination, StompHeaderAccessor frame) {
		LinkedSession linked = linkedSession(session);
		StompHeaderAccessor subscribe = accessor(linked, frame);
		subscribe.removeNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
		subscribe.setDestination(destination);
		subscribe.setSubscriptionId(subscriptionId);
		publish(linked, new SessionSubscribeEvent(this, build(subscribe, EMPTY), linked.user));
	}

	@Override
	public void unsubscribed(StompSession session, String subscriptionId, StompHeaderAccessor frame) {
		LinkedSession linked = linkedSession(session);
		StompHeaderAccessor unsubscribe = accessor(linked, frame);
		unsubscribe.setSubscriptionId(subscriptionId);
		publish(linked, new SessionUnsubscribeEvent(this, build(unsubscribe, EMPTY), linked.user));
	}

	@Override
	public boolean changesForClient(BrokerMessage message) {
		// Only a user destination's message, which carries the name the client used.
		return message.headers().containsKey(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
	}

	@Override
	public Message<byte[]> toClient(StompSession session, Message<byte[]> message) {
		// As Spring's STOMP handler does for a browser: a user destination's message
		// shows the destination the client subscribed to, not the session's own queue.
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || !accessor.isMutable()) {
			return message;
		}
		String original = accessor.getFirstNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
		if (original != null) {
			accessor.removeNativeHeader(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
			accessor.setDestination(original);
		}
		return message;
	}

	@Override
	public void disconnected(StompSession session) {
		LinkedSession linked = this.byEngineId.remove(session.id());
		if (linked == null) {
			return;
		}
		StompHeaderAccessor disconnect = StompHeaderAccessor.create(StompCommand.DISCONNECT);
		disconnect.setSessionId(linked.id);
		disconnect.setSessionAttributes(linked.attributes);
		disconnect.setUser(linked.user);
		disconnect.setHeader(TRANSPORT_HEADER, TCP);
		Message<byte[]> message = build(disconnect, EMPTY);
		publish(linked, new SessionDisconnectEvent(this, message, linked.id, CloseStatus.NORMAL, linked.user));
		// what Spring does for a browser: @Scope("websocket") beans of the session are
		// destroyed
		SimpAttributes.fromMessage(message).sessionCompleted();
		if (linked.end()) {
			this.bySpringId.remove(linked.id);
		}
	}

	// Frames for the application, one session's at a time.

	private void sendNext(LinkedSession linked) {
		PendingFrame next;
		while ((next = linked.startNext()) != null) {
			if (!dispatch(next)) {
				return; // the channel's threads handle it; its end sends the next
			}
		}
	}

	/** Sends a frame into the inbound channel; returns whether it is finished already. */
	private boolean dispatch(PendingFrame frame) {
		boolean tracked = this.clientInboundChannel instanceof ExecutorSubscribableChannel;
		int handlers = this.clientInboundChannel.getSubscribers().size();
		frame.expectHandlers(handlers);
		Throwable failure = null;
		try {
			if (!this.clientInboundChannel.send(frame.message())) {
				failure = new MessageDeliveryException(frame.message(), "An inbound channel interceptor of the "
						+ "application did not let the " + frame.command + " to " + frame.destination + " through.");
			}
			else if (tracked && handlers > 0) {
				return false;
			}
		}
		catch (RuntimeException ex) {
			// on a channel with an executor only an interceptor (or a full executor)
			// throws here
			failure = (tracked && !(ex instanceof MessageDeliveryException))
					? new MessageDeliveryException(frame.message(), reason(ex), ex) : ex;
		}
		finish(frame, (failure != null) ? failure : frame.failure());
		return true;
	}

	/** Every handler of the inbound channel is done with the frame. */
	private void handled(PendingFrame frame) {
		finish(frame, frame.failure());
		sendNext(frame.session);
	}

	private void finish(PendingFrame frame, Throwable failure) {
		StompSession session = frame.session.session;
		if (failure == null) {
			if (frame.receipt != null) {
				StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
				receipt.setReceiptId(frame.receipt);
				session.sendFromApplication(build(receipt, EMPTY));
			}
		}
		else {
			fail(session, failure, frame);
		}
		if (frame.session.finished(frame)) {
			this.bySpringId.remove(frame.session.id);
		}
	}

	private static void fail(StompSession session, Throwable failure, PendingFrame frame) {
		Throwable cause = failure;
		while (cause instanceof MessageDeliveryException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (failure instanceof MessageDeliveryException) {
			session.failFromApplication("Refused by the application", reason(cause), frame.receipt);
		}
		else if (cause instanceof MessageConversionException || cause instanceof MethodArgumentNotValidException) {
			session.failFromApplication("Cannot convert the body of " + frame.command + " to " + frame.destination,
					reason(cause), frame.receipt);
		}
		else {
			session
				.failFromApplication("The application failed on " + frame.command + " to " + frame.destination,
						"Its handler threw " + cause.getClass().getSimpleName()
								+ " and no @MessageExceptionHandler took it; see the application's log.",
						frame.receipt);
		}
	}

	private static String reason(Throwable ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	private boolean hasHandler(Message<byte[]> message, String destination) {
		// as the handler looks it up: Spring's prefixes end with "/", which stays on a
		// slashed path
		boolean slashes = this.annotationHandler.getPathMatcher().combine("a", "a").equals("a/a");
		String lookup = destination;
		for (String prefix : this.applicationPrefixes) {
			if (destination.startsWith(prefix)) {
				lookup = destination.substring(prefix.length() - (slashes && prefix.endsWith("/") ? 1 : 0));
				break;
			}
		}
		Message<byte[]> probe = MessageBuilder.fromMessage(message)
			.setHeader(DestinationPatternsMessageCondition.LOOKUP_DESTINATION_HEADER, lookup)
			.build();
		for (SimpMessageMappingInfo mapping : this.annotationHandler.getHandlerMethods().keySet()) {
			if (mapping.getMatchingCondition(probe) != null) {
				return true;
			}
		}
		return false;
	}

	// The application's inbound interceptors over frames that stay with the engine.

	private boolean isInspecting() {
		return this.inspectFrames && !this.inspection.getInterceptors().isEmpty();
	}

	private static void inspect(MessageChannel channel, Message<byte[]> message, StompCommand command) {
		boolean passed;
		try {
			passed = channel.send(message);
		}
		catch (RuntimeException ex) {
			Throwable cause = (ex instanceof MessageDeliveryException && ex.getCause() != null) ? ex.getCause() : ex;
			throw new StompProtocolException("Refused by the application", reason(cause));
		}
		if (!passed) {
			throw new StompProtocolException("Refused by the application",
					"An inbound channel interceptor of the application did not let the " + command + " through.");
		}
	}

	// Messages as Spring's STOMP handler makes them for a browser's frame.

	private static StompHeaderAccessor accessor(LinkedSession linked, StompHeaderAccessor frame) {
		StompHeaderAccessor accessor;
		try {
			accessor = StompHeaderAccessor.create(frame.getCommand(), frame.toNativeHeaderMap());
		}
		catch (RuntimeException ex) { // a content-type Spring cannot parse
			throw new StompProtocolException("Invalid " + frame.getCommand() + " headers", reason(ex));
		}
		accessor.setSessionId(linked.id);
		accessor.setSessionAttributes(linked.attributes);
		accessor.setUser(linked.user);
		accessor.setHeader(TRANSPORT_HEADER, TCP);
		return accessor;
	}

	private static Message<byte[]> build(StompHeaderAccessor accessor, byte[] body) {
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

	private LinkedSession linkedSession(StompSession session) {
		LinkedSession linked = this.byEngineId.get(session.id());
		if (linked == null) {
			throw new IllegalStateException("No application session for " + session);
		}
		return linked;
	}

	private void publish(LinkedSession linked, ApplicationEvent event) {
		try {
			SimpAttributesContextHolder.setAttributes(new SimpAttributes(linked.id, linked.attributes));
			this.events.publishEvent(event);
		}
		catch (RuntimeException ex) {
			// as Spring does for a browser's events: a failing listener does not end the
			// session
			logger.error("Error publishing " + event, ex);
		}
		finally {
			SimpAttributesContextHolder.resetAttributes();
		}
	}

	/**
	 * What the application sends a TCP client's session on the client outbound channel.
	 */
	private void toTcpClient(LinkedSession linked, Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		StompCommand command = StompHeaderAccessor.getCommand(headers);
		if (command == StompCommand.ERROR) {
			StompHeaderAccessor error = StompHeaderAccessor.wrap(message);
			String details = (message.getPayload() instanceof byte[] bytes && bytes.length > 0)
					? new String(bytes, StandardCharsets.UTF_8) : null;
			linked.session.failFromApplication((error.getMessage() != null) ? error.getMessage() : "Error", details,
					error.getReceiptId());
			return;
		}
		if (SimpMessageHeaderAccessor.getMessageType(headers) != SimpMessageType.MESSAGE) {
			return;
		}
		byte[] payload;
		if (message.getPayload() instanceof byte[] bytes) {
			payload = bytes;
		}
		else if (message.getPayload() instanceof String text) {
			payload = text.getBytes(StandardCharsets.UTF_8);
		}
		else {
			logger.warn("Dropped a message for TCP client session " + linked.id + ": its payload is a "
					+ message.getPayload().getClass().getName() + ", not bytes");
			return;
		}
		StompHeaderAccessor from = StompHeaderAccessor.wrap(message);
		StompHeaderAccessor frame = StompHeaderAccessor.create(StompCommand.MESSAGE);
		from.toNativeHeaderMap().forEach(frame::setNativeHeaderValues);
		frame.setDestination(from.getDestination());
		if (from.getSubscriptionId() != null) {
			frame.setSubscriptionId(from.getSubscriptionId());
		}
		if (frame.getMessageId() == null) {
			frame.setMessageId("app-" + this.messageSequence.incrementAndGet());
		}
		MimeType contentType = from.getContentType();
		if (contentType != null) {
			frame.setContentType(contentType);
		}
		linked.session.sendFromApplication(build(frame, payload));
	}

	/** The end of a TCP client's frame in each handler of the client inbound channel. */
	private final class HandledInterceptor implements ExecutorChannelInterceptor {

		@Override
		public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
				Exception ex) {
			if (message.getHeaders().get(FRAME_HEADER) instanceof PendingFrame frame) {
				if (ex != null) {
					frame.failed(ex);
				}
				if (frame.handlerDone()) {
					handled(frame);
				}
			}
		}

	}

	/**
	 * Routes the client outbound channel's messages for TCP sessions to the engine, right
	 * in the sender's thread: an interceptor's ERROR reaches the client before the
	 * refusal it comes with ends the session.
	 */
	private final class OutboundInterceptor implements ChannelInterceptor {

		@Override
		public Message<?> preSend(Message<?> message, MessageChannel channel) {
			String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
			LinkedSession linked = (sessionId != null) ? TcpClientBridge.this.bySpringId.get(sessionId) : null;
			if (linked != null) {
				toTcpClient(linked, message);
			}
			return message;
		}

	}

	/**
	 * A reply an {@code @SendTo} or {@code @SendToUser} method gives to a TCP client's
	 * frame carries that client's session id, on which Spring's relay would forward it;
	 * but the relay has no connection for a TCP session, and would drop it. Without the
	 * id the relay sends it on its system connection, as the application's own message. A
	 * user destination keeps the id until Spring resolved it, as it may address only that
	 * session.
	 */
	private final class BrokerChannelInterceptor implements ChannelInterceptor {

		@Override
		public Message<?> preSend(Message<?> message, MessageChannel channel) {
			MessageHeaders headers = message.getHeaders();
			String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
			if (sessionId == null || !TcpClientBridge.this.bySpringId.containsKey(sessionId)) {
				return message;
			}
			String destination = SimpMessageHeaderAccessor.getDestination(headers);
			String prefix = TcpClientBridge.this.userPrefix;
			if (destination == null || (prefix != null && destination.startsWith(prefix))) {
				return message;
			}
			MessageHeaderAccessor accessor = MessageHeaderAccessor.getMutableAccessor(message);
			accessor.setHeader(SimpMessageHeaderAccessor.SESSION_ID_HEADER, null);
			if (MessageHeaderAccessor.getAccessor(message, MessageHeaderAccessor.class) == accessor) {
				return message;
			}
			accessor.setLeaveMutable(true);
			return MessageBuilder.createMessage(message.getPayload(), accessor.getMessageHeaders());
		}

	}

	/** Runs interceptors, delivers nothing: the engine handles the frame. */
	private static final class InspectionChannel extends AbstractMessageChannel {

		private volatile Message<byte[]> passed;

		@Override
		@SuppressWarnings("unchecked")
		protected boolean sendInternal(Message<?> message, long timeout) {
			this.passed = (Message<byte[]>) message;
			return true;
		}

	}

}
