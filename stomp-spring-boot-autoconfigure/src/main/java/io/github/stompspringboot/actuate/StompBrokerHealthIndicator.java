package io.github.stompspringboot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.stompspringboot.broker.BrokerMetrics;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.transport.tcp.StompTcpServer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The embedded broker's health: UP while the engine runs, each TCP listener is bound and
 * the durable store's last write succeeded; DOWN otherwise. Details: open connections by
 * transport, destinations, listeners and the store.
 */
public class StompBrokerHealthIndicator extends AbstractHealthIndicator {

	private final StompBroker broker;

	private final Map<String, StompTcpServer> listeners;

	private final StompBrokerOperations operations;

	/**
	 * @param listeners the TCP listeners by name ({@code tcp}, {@code tls})
	 */
	public StompBrokerHealthIndicator(StompBroker broker, Map<String, StompTcpServer> listeners) {
		super("STOMP broker health check failed");
		this.broker = broker;
		this.listeners = listeners;
		this.operations = new StompBrokerOperations(broker);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean up = this.broker.isRunning();
		Map<String, Object> listenerDetails = new LinkedHashMap<>();
		this.listeners.forEach((name, server) -> {
			listenerDetails.put(name, Map.of("port", server.port(), "bound", server.isRunning()));
		});
		for (StompTcpServer server : this.listeners.values()) {
			up &= server.isRunning();
		}
		MessageStore store = this.broker.store();
		MessageStore.StoreStatus status = store.status();
		BrokerMetrics metrics = this.broker.metrics();
		Map<String, Object> storeDetails = new LinkedHashMap<>();
		storeDetails.put("durable", store.isDurable());
		storeDetails.put("location", status.location());
		if (status.sizeBytes() >= 0) {
			storeDetails.put("sizeBytes", status.sizeBytes());
		}
		if (metrics.lastStoreFailure() != null) {
			storeDetails.put("lastWriteError", metrics.lastStoreFailure());
		}
		up &= !metrics.isStoreFailing();
		String writeFailure = store.writeFailure();
		if (writeFailure != null) {
			// the store's own writes fail (a full disk): DOWN until one succeeds again
			storeDetails.put("writeFailing", writeFailure);
			up = false;
		}
		builder.status(up ? "UP" : "DOWN")
			.withDetail("running", this.broker.isRunning())
			.withDetail("connections", this.operations.openConnections())
			.withDetail("destinations", this.broker.destinations().all().size())
			.withDetail("listeners", listenerDetails)
			.withDetail("store", storeDetails);
	}

}
