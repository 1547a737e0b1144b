package io.github.stompspringboot.transport.injvm;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.stompspringboot.broker.StompSession;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring's real relay on the in-JVM link to a real engine, without a web server: what the
 * relay expects of a {@code TcpOperations} (heart-beats of its "system" session, session
 * ends in both directions) holds.
 */
class InJvmTcpClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private EmbeddedBroker broker;

	private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

	private final BlockingQueue<Message<?>> toClients = new LinkedBlockingQueue<>();

	private StompBrokerRelayMessageHandler relay;

	private InJvmTcpClient client;

	@BeforeEach
	void start(TestInfo test) {
		// Beats every 200 ms where they are what is tested; elsewhere none, so that a
		// loaded machine's scheduling delay cannot end the system session in the middle
		// of a test of something else (the relay then answers "Broker not available.").
		long beats = test.getTestMethod().orElseThrow().getName().startsWith("systemSessionWithHeartbeats") ? 200 : 0;
		this.broker = EmbeddedBroker.start((settings) -> settings.setHeartbeatSend(Duration.ofMillis(beats))
			.setHeartbeatReceive(Duration.ofMillis(beats)));
		ExecutorSubscribableChannel inbound = new ExecutorSubscribableChannel();
		ExecutorSubscribableChannel outbound = new ExecutorSubscribableChannel();
		outbound.subscribe(this.toClients::add);
		this.relay = new StompBrokerRelayMessageHandler(inbound, outbound, new ExecutorSubscribableChannel(),
				List.of("/topic/", "/queue/"));
		this.client = new InJvmTcpClient(this.broker.broker(), this.scheduler);
		this.relay.setTcpClient(this.client);
		// As Spring's defaults would have it against a remote broker: the system session
		// beats and watches the broker's beats, through
		// onWriteInactivity/onReadInactivity.
		this.relay.setSystemHeartbeatSendInterval(beats);
		this.relay.setSystemHeartbeatReceiveInterval(beats);
		this.relay.start();
	}

	@AfterEach
	void stop() {
		this.relay.stop();
		this.broker.close();
		this.scheduler.shutdownNow();
	}

	@Test
	void systemSessionWithHeartbeatsStaysConnectedAndCarriesApplicationSends() throws Exception {
		await().atMost(TIMEOUT).until(this.relay::isBrokerAvailable);
		// Ten negotiated intervals: without the relay's beats the broker would drop it
		// after 300 ms, without the broker's the relay would give up after 600 ms.
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(this.relay::isBrokerAvailable);
		try (RawStompClient telnet = RawStompClient.connect(this.broker.port(), "1.2")) {
			telnet.send("SUBSCRIBE\nid:0\ndestination:/topic/news\nreceipt:r\n\n\0");
			assertThat(telnet.receive().command()).isEqualTo("RECEIPT");
			SimpMessagingTemplate template = new SimpMessagingTemplate((message, timeout) -> {
				this.relay.handleMessage(message);
				return true;
			});
			template.setMessageConverter(new org.springframework.messaging.converter.StringMessageConverter());
			template.convertAndSend("/topic/news", "late but there");
			assertThat(telnet.receive().bodyText()).isEqualTo("late but there");
		}
	}

	@Test
	void clientSessionCarriesItsPrincipalAndEndsWithDisconnect() throws Exception {
		await().atMost(TIMEOUT).until(this.relay::isBrokerAvailable);
		int before = this.broker.broker().connectionCount();
		this.relay.handleMessage(clientFrame(StompCommand.CONNECT, "tab1", "1.2"));
		Message<?> connected = next();
		assertThat(StompHeaderAccessor.wrap(connected).getCommand()).isEqualTo(StompCommand.CONNECTED);
		assertThat(this.broker.broker().sessions()).extracting(StompSession::user).contains("ivy");
		assertThat(this.broker.broker().connectionCount()).isEqualTo(before + 1);

		this.relay.handleMessage(clientFrame(StompCommand.DISCONNECT, "tab1", null));
		await().atMost(TIMEOUT).until(() -> this.broker.broker().connectionCount() == before);
		// the system session only
		assertThat(this.relay.getConnectionCount()).isEqualTo(1);
		// Leaving on purpose is no failure: no ERROR goes to the client.
		assertThat(this.toClients.poll(200, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void brokerErrorReachesTheClientOnceAndTheRelaySessionEndsWithTheClient() throws Exception {
		await().atMost(TIMEOUT).until(this.relay::isBrokerAvailable);
		this.relay.handleMessage(clientFrame(StompCommand.CONNECT, "tab2", "1.2"));
		next();
		StompHeaderAccessor ack = StompHeaderAccessor.create(StompCommand.ACK);
		ack.setSessionId("tab2");
		ack.setNativeHeader("id", "nope|nope");
		this.relay.handleMessage(MessageBuilder.createMessage(new byte[0], ack.getMessageHeaders()));
		StompHeaderAccessor error = StompHeaderAccessor.wrap(next());
		assertThat(error.getCommand()).isEqualTo(StompCommand.ERROR);
		assertThat(error.getMessage()).contains("ACK of unknown message");
		// One ERROR only: a second one from the relay ("Connection to broker closed.")
		// would close the WebSocket, and that close can overtake the first ERROR's write.
		assertThat(this.toClients.poll(200, TimeUnit.MILLISECONDS)).isNull();
		// The WebSocket closes after an ERROR, and Spring sends the relay a DISCONNECT
		// for it.
		this.relay.handleMessage(clientFrame(StompCommand.DISCONNECT, "tab2", null));
		await().atMost(TIMEOUT).until(() -> this.relay.getConnectionCount() == 1);
		assertThat(this.client.connectionCount()).isEqualTo(1);
		assertThat(this.toClients.poll(200, TimeUnit.MILLISECONDS)).isNull();
	}

	@Test
	void shutdownEndsEveryEngineSession() throws Exception {
		await().atMost(TIMEOUT).until(this.relay::isBrokerAvailable);
		this.relay.handleMessage(clientFrame(StompCommand.CONNECT, "tab3", "1.2"));
		next();
		this.relay.stop();
		await().atMost(TIMEOUT).until(() -> this.broker.broker().connectionCount() == 0);
		assertThat(this.client.connectionCount()).isZero();
	}

	private Message<?> next() throws InterruptedException {
		Message<?> message = this.toClients.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(message).as("frame to the client").isNotNull();
		return message;
	}

	private static Message<byte[]> clientFrame(StompCommand command, String sessionId, String acceptVersion) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		accessor.setSessionId(sessionId);
		if (acceptVersion != null) {
			accessor.setAcceptVersion(acceptVersion);
			Principal ivy = () -> "ivy";
			accessor.setUser(ivy);
		}
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
