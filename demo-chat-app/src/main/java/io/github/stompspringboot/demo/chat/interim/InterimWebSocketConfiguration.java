package io.github.stompspringboot.demo.chat.interim;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.tcp.ReconnectStrategy;
import org.springframework.messaging.tcp.TcpConnectionHandler;
import org.springframework.messaging.tcp.TcpOperations;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * TEMPORARY, until the starter auto-configures the WebSocket side (branch spring): the same
 * contract (/stomp with SockJS, /app, /topic, /queue, /user) relayed over a loopback socket to
 * the embedded broker's TCP port. Deleted when the in-JVM relay lands.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class InterimWebSocketConfiguration implements WebSocketMessageBrokerConfigurer {

	private final Environment environment;

	InterimWebSocketConfiguration(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint("/stomp").withSockJS();
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.setApplicationDestinationPrefixes("/app");
		registry.setUserDestinationPrefix("/user");
		registry.enableStompBrokerRelay("/topic", "/queue").setTcpClient(new LocalPortTcpClient(this.environment));
	}

	/** Waits for the broker's TCP port (published once it listens) before connecting. */
	static final class LocalPortTcpClient implements TcpOperations<byte[]> {

		private final Environment environment;

		private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "interim-relay-port");
			thread.setDaemon(true);
			return thread;
		});

		private volatile ReactorNettyTcpClient<byte[]> delegate;

		LocalPortTcpClient(Environment environment) {
			this.environment = environment;
		}

		@Override
		public CompletableFuture<@Nullable Void> connectAsync(TcpConnectionHandler<byte[]> handler) {
			return whenListening((client) -> client.connectAsync(handler));
		}

		@Override
		public CompletableFuture<@Nullable Void> connectAsync(TcpConnectionHandler<byte[]> handler, ReconnectStrategy strategy) {
			return whenListening((client) -> client.connectAsync(handler, strategy));
		}

		@Override
		public CompletableFuture<@Nullable Void> shutdownAsync() {
			this.timer.shutdownNow();
			ReactorNettyTcpClient<byte[]> client = this.delegate;
			return (client != null ? client.shutdownAsync() : CompletableFuture.completedFuture(null));
		}

		private CompletableFuture<@Nullable Void> whenListening(
				Function<TcpOperations<byte[]>, CompletableFuture<@Nullable Void>> action) {
			CompletableFuture<@Nullable Void> result = new CompletableFuture<>();
			attempt(action, result, 0);
			return result;
		}

		private void attempt(Function<TcpOperations<byte[]>, CompletableFuture<@Nullable Void>> action,
				CompletableFuture<@Nullable Void> result, int attempts) {
			Integer port = this.environment.getProperty("local.stomp.port", Integer.class);
			if (port != null) {
				action.apply(client(port)).whenComplete((done, ex) -> {
					if (ex != null) {
						result.completeExceptionally(ex);
					}
					else {
						result.complete(done);
					}
				});
			}
			else if (attempts < 600) {
				this.timer.schedule(() -> attempt(action, result, attempts + 1), 50, TimeUnit.MILLISECONDS);
			}
			else {
				result.completeExceptionally(new IllegalStateException("The STOMP broker never listened"));
			}
		}

		private synchronized ReactorNettyTcpClient<byte[]> client(int port) {
			if (this.delegate == null) {
				this.delegate = new ReactorNettyTcpClient<>(
						(client) -> client.remoteAddress(() -> new InetSocketAddress("127.0.0.1", port)),
						new StompReactorNettyCodec());
			}
			return this.delegate;
		}

	}

}
