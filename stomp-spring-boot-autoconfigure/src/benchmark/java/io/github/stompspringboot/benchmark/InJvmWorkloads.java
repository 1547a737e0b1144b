package io.github.stompspringboot.benchmark;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.stompspringboot.broker.BrokerSettings;
import io.github.stompspringboot.broker.SessionSink;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Spring's {@link SimpleBrokerMessageHandler} has no TCP side, so it is compared with
 * this project's engine in the JVM, with no transport at all: one thread publishes
 * messages to a topic and every subscriber's outbound message is counted where a
 * transport would take it (the engine's {@link SessionSink}, the simple broker's
 * {@code clientOutboundChannel}). Each publish builds a fresh message, as a decoder or
 * {@code SimpMessagingTemplate} would.
 */
final class InJvmWorkloads {

	private InJvmWorkloads() {
	}

	/**
	 * A broker fed in the JVM by the calling thread; counts the messages it hands to
	 * subscribers.
	 */
	interface InJvmBroker extends AutoCloseable {

		void subscribe(String sessionId, String destination);

		void publish(String destination, byte[] body);

		long delivered();

		void resetDelivered();

		@Override
		void close();

	}

	/**
	 * Deliveries per second: {@code messages} publishes to a topic with
	 * {@code subscribers} subscribers.
	 */
	static double fanOut(InJvmBroker broker, String destination, int subscribers, int messages, long limitNanos) {
		for (int i = 0; i < subscribers; i++) {
			broker.subscribe("c" + i, destination);
		}
		byte[] body = new byte[TcpWorkloads.BODY_SIZE];
		Arrays.fill(body, (byte) 'x');
		broker.resetDelivered();
		long start = System.nanoTime();
		long deadline = start + limitNanos;
		for (int i = 0; i < messages; i++) {
			broker.publish(destination, body);
			if ((i & 1023) == 0 && System.nanoTime() - deadline > 0) {
				break;
			}
		}
		long nanos = System.nanoTime() - start;
		return broker.delivered() * 1e9 / nanos;
	}

	/**
	 * This project's engine: sessions fed STOMP frames as the TCP decoder would build
	 * them.
	 */
	static InJvmBroker ours() {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
		StompBroker broker = new StompBroker(new BrokerSettings(), scheduler);
		long[] delivered = new long[1];
		StompSession producer = connect(broker, delivered);
		return new InJvmBroker() {

			@Override
			public void subscribe(String sessionId, String destination) {
				StompSession session = connect(broker, delivered);
				MultiValueMap<String, String> headers = new LinkedMultiValueMap<>();
				headers.add("destination", destination);
				headers.add("id", sessionId);
				headers.add("ack", "auto");
				session.handle(frame(StompCommand.SUBSCRIBE, headers, new byte[0]));
			}

			@Override
			public void publish(String destination, byte[] body) {
				MultiValueMap<String, String> headers = new LinkedMultiValueMap<>();
				headers.add("destination", destination);
				headers.add("content-length", Integer.toString(body.length));
				producer.handle(frame(StompCommand.SEND, headers, body));
			}

			@Override
			public long delivered() {
				return delivered[0];
			}

			@Override
			public void resetDelivered() {
				delivered[0] = 0;
			}

			@Override
			public void close() {
				broker.shutdown();
				scheduler.shutdownNow();
			}

		};
	}

	private static StompSession connect(StompBroker broker, long[] delivered) {
		StompSession session = broker.openSession(new SessionSink() {

			@Override
			public void send(Message<byte[]> frame) {
				delivered[0]++;
			}

			@Override
			public void sendHeartbeat() {
			}

			@Override
			public void close() {
			}

			@Override
			public String remoteAddress() {
				return "in-jvm";
			}

		});
		MultiValueMap<String, String> headers = new LinkedMultiValueMap<>();
		headers.add("accept-version", "1.2");
		headers.add("host", "localhost");
		headers.add("heart-beat", "0,0");
		session.handle(frame(StompCommand.CONNECT, headers, new byte[0]));
		return session;
	}

	private static Message<byte[]> frame(StompCommand command, MultiValueMap<String, String> headers, byte[] body) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command, headers);
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

	/**
	 * Spring's simple broker, as {@code enableSimpleBroker("/topic", "/queue")} sets it
	 * up, with synchronous channels.
	 */
	static InJvmBroker simple() {
		long[] delivered = new long[1];
		ExecutorSubscribableChannel clientInbound = new ExecutorSubscribableChannel();
		ExecutorSubscribableChannel clientOutbound = new ExecutorSubscribableChannel();
		ExecutorSubscribableChannel brokerChannel = new ExecutorSubscribableChannel();
		clientOutbound.subscribe((message) -> delivered[0]++);
		SimpleBrokerMessageHandler handler = new SimpleBrokerMessageHandler(clientInbound, clientOutbound,
				brokerChannel, List.of("/topic", "/queue"));
		handler.start();
		return new InJvmBroker() {

			@Override
			public void subscribe(String sessionId, String destination) {
				SimpMessageHeaderAccessor connect = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT);
				connect.setSessionId(sessionId);
				connect.setHeader(SimpMessageHeaderAccessor.HEART_BEAT_HEADER, new long[] { 0, 0 });
				handler.handleMessage(MessageBuilder.createMessage(new byte[0], connect.getMessageHeaders()));
				SimpMessageHeaderAccessor subscribe = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
				subscribe.setSessionId(sessionId);
				subscribe.setSubscriptionId(sessionId);
				subscribe.setDestination(destination);
				handler.handleMessage(MessageBuilder.createMessage(new byte[0], subscribe.getMessageHeaders()));
			}

			@Override
			public void publish(String destination, byte[] body) {
				SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
				accessor.setDestination(destination);
				handler.handleMessage(MessageBuilder.createMessage(body, accessor.getMessageHeaders()));
			}

			@Override
			public long delivered() {
				return delivered[0];
			}

			@Override
			public void resetDelivered() {
				delivered[0] = 0;
			}

			@Override
			public void close() {
				handler.stop();
			}

		};
	}

}
