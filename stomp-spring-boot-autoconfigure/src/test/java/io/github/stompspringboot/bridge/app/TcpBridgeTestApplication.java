package io.github.stompspringboot.bridge.app;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.stompspringboot.bridge.TcpClientBridge;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.messaging.simp.annotation.SubscribeMapping;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.AbstractSubProtocolEvent;

/**
 * An application as a user writes it, with controllers, an inbound interceptor and event
 * listeners, for TCP clients to call: every handler records what it received.
 */
@SpringBootApplication
public class TcpBridgeTestApplication implements WebSocketMessageBrokerConfigurer {

	private final ObjectProvider<MessageChannel> clientOutboundChannel;

	TcpBridgeTestApplication(@Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> clientOutboundChannel) {
		this.clientOutboundChannel = clientOutboundChannel;
	}

	/** Frames the inbound interceptor saw: command, destination, transport. */
	public static final List<String> intercepted = new CopyOnWriteArrayList<>();

	/** Session events: type, session id, destination, transport attribute. */
	public static final List<String> events = new CopyOnWriteArrayList<>();

	/** Released by a test to let {@code /app/slow} return. */
	public static final AtomicReference<CountDownLatch> slowGate = new AtomicReference<>(new CountDownLatch(0));

	/** What {@code /app/slow} handled, in order. */
	public static final List<String> slowHandled = new CopyOnWriteArrayList<>();

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new ChannelInterceptor() {
			@Override
			public Message<?> preSend(Message<?> message, MessageChannel channel) {
				StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
				if (accessor == null || accessor.getCommand() == null) {
					return message;
				}
				intercepted.add(accessor.getCommand() + " " + accessor.getDestination() + " "
						+ accessor.getHeader(TcpClientBridge.TRANSPORT_HEADER));
				if ("true".equals(accessor.getFirstNativeHeader("forbidden"))) {
					throw new MessagingException("Forbidden by the test interceptor");
				}
				if ("drop".equals(accessor.getFirstNativeHeader("forbidden"))) {
					return null;
				}
				String nickname = (accessor.getFirstNativeHeader("nickname") != null)
						? accessor.getFirstNativeHeader("nickname") : accessor.getFirstNativeHeader("user");
				if (StompCommand.CONNECT.equals(accessor.getCommand()) && "refuse-me".equals(nickname)) {
					// as the demo refuses a bad nickname: its own ERROR, then no message
					StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
					error.setMessage("Pick another nickname");
					error.setSessionId(accessor.getSessionId());
					TcpBridgeTestApplication.this.clientOutboundChannel.getObject()
						.send(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
					return null;
				}
				if (StompCommand.CONNECT.equals(accessor.getCommand()) && nickname != null) {
					accessor.setUser(new NamedPrincipal(nickname));
				}
				return message;
			}
		});
	}

	public record NamedPrincipal(String getName) implements Principal {

	}

	public record Order(String item, int count) {

	}

	static class Refused extends RuntimeException {

		Refused(String message) {
			super(message);
		}

	}

	@Controller
	static class TestController {

		@MessageMapping("/greet/{name}")
		@SendTo("/topic/greetings")
		String greet(@DestinationVariable String name, @Payload String text, @Header("x-mood") String mood,
				Principal principal) {
			return name + ":" + text + ":" + mood + ":" + principal.getName();
		}

		@MessageMapping("/whoami")
		@SendToUser("/queue/whoami")
		String whoami(Principal principal, SimpMessageHeaderAccessor headers) {
			return ((principal != null) ? principal.getName() : "anonymous") + " over "
					+ headers.getSessionAttributes().get(TcpClientBridge.TRANSPORT_HEADER);
		}

		@MessageMapping("/order")
		@SendTo("/topic/orders")
		String order(@Payload Order order) {
			return order.count() + " x " + order.item();
		}

		@MessageMapping("/slow")
		void slow(@Payload String text) throws InterruptedException {
			// bounded: a test that forgets to open the gate fails instead of hanging the
			// suite
			slowGate.get().await(20, TimeUnit.SECONDS);
			slowHandled.add(text);
		}

		@MessageMapping("/fail")
		void fail() {
			throw new IllegalStateException("the handler broke");
		}

		@MessageMapping("/refuse")
		void refuse(@Payload String reason) {
			throw new Refused(reason);
		}

		@SubscribeMapping("/snapshot")
		String snapshot(Principal principal) {
			return "snapshot for " + principal.getName();
		}

		@MessageExceptionHandler(Refused.class)
		@SendToUser(destinations = "/queue/errors", broadcast = false)
		Map<String, String> refused(Refused ex) {
			return Map.of("error", ex.getMessage());
		}

	}

	@Controller
	static class EventRecorder {

		@EventListener
		void on(AbstractSubProtocolEvent event) {
			SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(event.getMessage());
			Map<String, Object> attributes = accessor.getSessionAttributes();
			events
				.add(event.getClass().getSimpleName() + " " + accessor.getSessionId() + " " + accessor.getDestination()
						+ " " + ((attributes != null) ? attributes.get(TcpClientBridge.TRANSPORT_HEADER) : null) + " "
						+ ((event.getUser() != null) ? event.getUser().getName() : null));
		}

	}

}
