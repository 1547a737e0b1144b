package io.github.stompspringboot.actuate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

import io.github.stompspringboot.broker.BrokerMetrics;
import io.github.stompspringboot.broker.Destination;
import io.github.stompspringboot.broker.DestinationType;
import io.github.stompspringboot.broker.StompBroker;
import io.github.stompspringboot.broker.StompSession;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.messaging.simp.stomp.StompCommand;

/**
 * The embedded broker's meters, under {@code stomp.broker.*}. Counters are read from the
 * engine's {@link BrokerMetrics} when the registry is scraped ({@link FunctionCounter}),
 * so the hot path pays for nothing but the engine's own {@code LongAdder}s.
 * Per-destination gauges and ERROR reasons change with the broker's life and are brought
 * up to date every refresh interval on the broker's shared timer.
 */
public class StompBrokerMeterBinder implements MeterBinder, DisposableBean {

	static final String OTHER = "other";

	private static final List<String> TRANSPORTS = List.of("tcp", "tls", "websocket");

	private static final List<String> REFUSAL_REASONS = List.of("authentication", "authorization", "max-connections",
			"version");

	private static final List<StompCommand> CLIENT_COMMANDS = List.of(StompCommand.CONNECT, StompCommand.STOMP,
			StompCommand.SEND, StompCommand.SUBSCRIBE, StompCommand.UNSUBSCRIBE, StompCommand.ACK, StompCommand.NACK,
			StompCommand.BEGIN, StompCommand.COMMIT, StompCommand.ABORT, StompCommand.DISCONNECT);

	private final StompBroker broker;

	private final BrokerMetrics metrics;

	private final int maxDestinations;

	private final ScheduledExecutorService scheduler;

	private final long refreshMillis;

	/**
	 * Destinations with series of their own, kept while they exist (stable series, not
	 * the top N of the moment).
	 */
	private final Set<String> tracked = new LinkedHashSet<>();

	private final Set<String> errorReasons = ConcurrentHashMap.newKeySet();

	/** Names of the destinations past the cap, summed under destination=other. */
	private final AtomicReference<List<String>> others = new AtomicReference<>(List.of());

	private final List<MultiGauge> destinationGauges = new ArrayList<>();

	private final List<ToIntFunction<Destination>> destinationValues = new ArrayList<>();

	private final List<MeterRegistry> registries = new ArrayList<>();

	private ScheduledFuture<?> refreshTask;

	public StompBrokerMeterBinder(StompBroker broker, int maxDestinations, ScheduledExecutorService scheduler,
			long refreshMillis) {
		this.broker = broker;
		this.metrics = broker.metrics();
		this.maxDestinations = maxDestinations;
		this.scheduler = scheduler;
		this.refreshMillis = refreshMillis;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		for (String transport : TRANSPORTS) {
			Gauge.builder("stomp.broker.connections", this, (binder) -> binder.openConnections(transport))
				.tag("transport", transport)
				.description("Open STOMP connections")
				.register(registry);
			FunctionCounter
				.builder("stomp.broker.connections.opened", this.metrics,
						(m) -> m.connectionsOpened().getOrDefault(transport, 0L))
				.tag("transport", transport)
				.description("STOMP connections that completed CONNECT")
				.register(registry);
			FunctionCounter
				.builder("stomp.broker.connections.closed", this.metrics,
						(m) -> m.connectionsClosed().getOrDefault(transport, 0L))
				.tag("transport", transport)
				.description("STOMP connections that ended")
				.register(registry);
		}
		for (String reason : REFUSAL_REASONS) {
			FunctionCounter
				.builder("stomp.broker.connections.refused", this.metrics,
						(m) -> m.connectionsRefused().getOrDefault(reason, 0L))
				.tag("reason", reason)
				.description("CONNECT frames refused")
				.register(registry);
		}
		for (StompCommand command : CLIENT_COMMANDS) {
			FunctionCounter.builder("stomp.broker.frames.received", this.metrics, (m) -> m.framesReceived(command))
				.tag("command", command.name())
				.description("Frames received from clients")
				.register(registry);
		}
		for (BrokerMetrics.MessageEvent event : BrokerMetrics.MessageEvent.values()) {
			String name = "stomp.broker.messages." + event.name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
			for (DestinationType kind : DestinationType.values()) {
				FunctionCounter.builder(name, this.metrics, (m) -> m.messages(event, kind))
					.tag("kind", StompBrokerOperations.kind(kind))
					.description("Messages " + event.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
					.register(registry);
			}
		}
		FunctionCounter.builder("stomp.broker.bytes.received", this.metrics, BrokerMetrics::bytesReceived)
			.baseUnit("bytes")
			.description("Bytes read from clients (TCP: on the wire; WebSocket: frame bodies)")
			.register(registry);
		FunctionCounter.builder("stomp.broker.bytes.sent", this.metrics, BrokerMetrics::bytesSent)
			.baseUnit("bytes")
			.description("Bytes written to clients (TCP: on the wire; WebSocket: frame bodies)")
			.register(registry);
		FunctionCounter.builder("stomp.broker.logins.failed", this.metrics, BrokerMetrics::failedLogins)
			.description("CONNECTs with a wrong login or passcode")
			.register(registry);
		FunctionTimer
			.builder("stomp.broker.store.writes", this.metrics, BrokerMetrics::storeWrites,
					BrokerMetrics::storeWriteNanos, TimeUnit.NANOSECONDS)
			.description("Writes of persistent messages to the durable store")
			.register(registry);
		Gauge.builder("stomp.broker.store.size", this.broker, (b) -> b.store().status().sizeBytes())
			.baseUnit("bytes")
			.description("Size of the durable store on disk (-1: no durable store)")
			.register(registry);
		Gauge.builder("stomp.broker.destinations", this.broker, (b) -> b.destinations().all().size())
			.description("Destinations (queues and topics) that exist now")
			.register(registry);
		this.registries.add(registry);
		this.destinationGauges.add(destinationGauge(registry, "stomp.broker.destination.depth",
				"Messages waiting in the destination", Destination::depth));
		this.destinationGauges.add(destinationGauge(registry, "stomp.broker.destination.consumers",
				"Subscriptions of the destination", Destination::consumerCount));
		this.destinationGauges.add(destinationGauge(registry, "stomp.broker.destination.unacked",
				"Messages delivered from the destination and not yet acknowledged", Destination::unackedCount));
		refresh();
		if (this.refreshTask == null && this.refreshMillis > 0) {
			this.refreshTask = this.scheduler.scheduleWithFixedDelay(this::refreshQuietly, this.refreshMillis,
					this.refreshMillis, TimeUnit.MILLISECONDS);
		}
	}

	private MultiGauge destinationGauge(MeterRegistry registry, String name, String description,
			ToIntFunction<Destination> value) {
		if (this.destinationValues.size() < 3) {
			this.destinationValues.add(value);
		}
		return MultiGauge.builder(name).description(description).register(registry);
	}

	private int valueOf(String destinationName, ToIntFunction<Destination> value) {
		Destination destination = this.broker.destinations().find(destinationName);
		return (destination != null) ? value.applyAsInt(destination) : 0;
	}

	private int openConnections(String transport) {
		int count = 0;
		for (StompSession session : this.broker.sessions()) {
			if (transport.equals(session.transport())) {
				count++;
			}
		}
		return count;
	}

	private void refreshQuietly() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			// a meter refresh must never end the shared timer's task; the next one tries
			// again
		}
	}

	/** Brings the per-destination gauges and the ERROR reason counters up to date. */
	synchronized void refresh() {
		Map<String, Destination> current = new HashMap<>();
		for (Destination destination : this.broker.destinations().all()) {
			current.put(destination.name(), destination);
		}
		this.tracked.retainAll(current.keySet());
		List<Destination> others = new ArrayList<>();
		for (Destination destination : current.values()) {
			if (!this.tracked.contains(destination.name())) {
				if (this.tracked.size() < this.maxDestinations) {
					this.tracked.add(destination.name());
				}
				else {
					others.add(destination);
				}
			}
		}
		this.others.set(others.stream().map(Destination::name).toList());
		// Rows are registered once and kept (overwrite false): re-registering on every
		// refresh races with a Prometheus scrape, which may then see the same series
		// twice. Each row reads its destination by name, so a queue reclaimed and made
		// again is still counted.
		for (int i = 0; i < this.destinationGauges.size(); i++) {
			ToIntFunction<Destination> value = this.destinationValues.get(i % this.destinationValues.size());
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (String name : this.tracked) {
				rows.add(MultiGauge.Row.of(
						Tags.of("destination", name, "kind", StompBrokerOperations.kind(current.get(name).type())),
						name, (n) -> valueOf(n, value)));
			}
			if (!others.isEmpty()) {
				rows.add(MultiGauge.Row.of(Tags.of("destination", OTHER, "kind", OTHER), this.others,
						(names) -> names.get().stream().mapToInt((n) -> valueOf(n, value)).sum()));
			}
			this.destinationGauges.get(i).register(rows, false);
		}
		for (String reason : this.metrics.errorsSent().keySet()) {
			if (this.errorReasons.add(reason)) {
				for (MeterRegistry registry : this.registries) {
					FunctionCounter
						.builder("stomp.broker.errors", this.metrics, (m) -> m.errorsSent().getOrDefault(reason, 0L))
						.tag("reason", reason)
						.description("ERROR frames sent to clients")
						.register(registry);
				}
			}
		}
	}

	@Override
	public synchronized void destroy() {
		if (this.refreshTask != null) {
			this.refreshTask.cancel(false);
		}
	}

}
