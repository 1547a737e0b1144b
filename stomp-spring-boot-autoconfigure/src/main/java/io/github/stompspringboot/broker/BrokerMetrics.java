package io.github.stompspringboot.broker;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.messaging.simp.stomp.StompCommand;

/**
 * What the engine counts as it works, for health, meters and the operations endpoint to
 * read. Only {@link LongAdder}s on the hot path (no lock, no allocation, no meter
 * library): the {@code actuate} package turns these into Micrometer meters when
 * Micrometer is there. Totals since the broker started; none is ever reset.
 */
public final class BrokerMetrics {

	/** What happens to a message, each counted by {@link DestinationType}. */
	public enum MessageEvent {

		/** A client's SEND reached its destination (at COMMIT for a transaction). */
		PUBLISHED,

		/** A MESSAGE frame went to a subscriber. */
		DELIVERED,

		/**
		 * Taken out of an un-acked set by an ACK (a cumulative ACK counts each message).
		 */
		ACKNOWLEDGED,

		/** Handed back by a NACK. */
		NACKED,

		/**
		 * Went back to be delivered again (NACK, consumer gone) with redeliveries left.
		 */
		REDELIVERED,

		/** Moved to a dead-letter queue after its last redelivery. */
		DEAD_LETTERED,

		/** Its time-to-live ran out before anyone took it. */
		EXPIRED

	}

	/** Distinct ERROR reasons kept apart; the rest count as {@value #OTHER}. */
	static final int MAX_ERROR_REASONS = 64;

	/** Longest reason kept as a tag value. */
	static final int MAX_REASON_LENGTH = 60;

	/** Where reasons past {@link #MAX_ERROR_REASONS} are counted. */
	public static final String OTHER = "other";

	private static final DestinationType[] KINDS = DestinationType.values();

	private static final StompCommand[] COMMANDS = StompCommand.values();

	private final LongAdder[] messages = adders(MessageEvent.values().length * KINDS.length);

	private final LongAdder[] framesReceived = adders(COMMANDS.length);

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final LongAdder failedLogins = new LongAdder();

	private final LongAdder storeWrites = new LongAdder();

	private final LongAdder storeWriteNanos = new LongAdder();

	private final Map<String, LongAdder> connectionsOpened = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> connectionsClosed = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> connectionsRefused = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> errorsSent = new ConcurrentHashMap<>();

	private static LongAdder[] adders(int count) {
		LongAdder[] adders = new LongAdder[count];
		for (int i = 0; i < count; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	void message(MessageEvent event, DestinationType kind, int count) {
		this.messages[event.ordinal() * KINDS.length + kind.ordinal()].add(count);
	}

	void message(MessageEvent event, DestinationType kind) {
		this.messages[event.ordinal() * KINDS.length + kind.ordinal()].increment();
	}

	/** Messages that met the event on destinations of that kind. */
	public long messages(MessageEvent event, DestinationType kind) {
		return this.messages[event.ordinal() * KINDS.length + kind.ordinal()].sum();
	}

	void frameReceived(StompCommand command) {
		this.framesReceived[command.ordinal()].increment();
	}

	/** Frames of that command received from clients (heart-beats are not frames). */
	public long framesReceived(StompCommand command) {
		return this.framesReceived[command.ordinal()].sum();
	}

	void bytesReceived(long bytes) {
		this.bytesReceived.add(bytes);
	}

	void bytesSent(long bytes) {
		this.bytesSent.add(bytes);
	}

	/**
	 * Bytes read from clients, as each transport counts them (TCP: bytes on the wire).
	 */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/** Bytes written to clients, as each transport counts them. */
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	void failedLogin() {
		this.failedLogins.increment();
	}

	/** CONNECTs refused because the login or passcode was wrong. */
	public long failedLogins() {
		return this.failedLogins.sum();
	}

	private volatile long lastStoreWriteMillis;

	private volatile long lastStoreFailureMillis;

	private volatile String lastStoreFailure;

	void storeWrite(long nanos) {
		this.storeWrites.increment();
		this.storeWriteNanos.add(nanos);
		this.lastStoreWriteMillis = System.currentTimeMillis();
	}

	void storeFailure(RuntimeException ex) {
		this.lastStoreFailure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
		this.lastStoreFailureMillis = System.currentTimeMillis();
	}

	/** The last write to the store that failed, {@code null} if none did. */
	public String lastStoreFailure() {
		return this.lastStoreFailure;
	}

	/** Whether the store's last write failed (none succeeded since the last failure). */
	public boolean isStoreFailing() {
		return this.lastStoreFailure != null && this.lastStoreFailureMillis >= this.lastStoreWriteMillis;
	}

	/** Messages written to the durable store. */
	public long storeWrites() {
		return this.storeWrites.sum();
	}

	/** Time spent writing them, in nanoseconds. */
	public long storeWriteNanos() {
		return this.storeWriteNanos.sum();
	}

	void connectionOpened(String transport) {
		count(this.connectionsOpened, transport);
	}

	void connectionClosed(String transport) {
		count(this.connectionsClosed, transport);
	}

	void connectionRefused(String reason) {
		count(this.connectionsRefused, reason);
	}

	void errorSent(String message) {
		String reason = reasonOf(message);
		if (!this.errorsSent.containsKey(reason) && this.errorsSent.size() >= MAX_ERROR_REASONS) {
			reason = OTHER;
		}
		count(this.errorsSent, reason);
	}

	/**
	 * Sessions that completed CONNECT, by transport ({@code tcp}, {@code tls},
	 * {@code websocket}).
	 */
	public Map<String, Long> connectionsOpened() {
		return snapshot(this.connectionsOpened);
	}

	/** Connected sessions that ended, by transport. */
	public Map<String, Long> connectionsClosed() {
		return snapshot(this.connectionsClosed);
	}

	/**
	 * CONNECTs refused, by reason ({@code authentication}, {@code authorization},
	 * {@code max-connections}, {@code version}).
	 */
	public Map<String, Long> connectionsRefused() {
		return snapshot(this.connectionsRefused);
	}

	/**
	 * ERROR frames sent, by reason: the {@code message} header without names, ids and
	 * numbers.
	 */
	public Map<String, Long> errorsSent() {
		return snapshot(this.errorsSent);
	}

	private static void count(Map<String, LongAdder> counters, String key) {
		counters.computeIfAbsent(key, (k) -> new LongAdder()).increment();
	}

	private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
		Map<String, Long> values = new TreeMap<>();
		counters.forEach((key, adder) -> values.put(key, adder.sum()));
		return Collections.unmodifiableMap(values);
	}

	/**
	 * An ERROR's {@code message} header as a tag value a dashboard can group by: quoted
	 * parts, destination names and numbers left out ({@code Queue /queue/a is full}
	 * becomes {@code queue-is-full}), so one client's names cannot grow the number of
	 * series.
	 */
	static String reasonOf(String message) {
		if (message == null || message.isBlank()) {
			return "unknown";
		}
		StringBuilder reason = new StringBuilder();
		boolean quoted = false;
		for (String word : message.split("\\s+")) {
			if (word.startsWith("'")) {
				quoted = !(word.length() > 1 && word.endsWith("'"));
				continue;
			}
			if (quoted) {
				quoted = !word.endsWith("'");
				continue;
			}
			if (word.startsWith("/") || word.chars().anyMatch(Character::isDigit)) {
				continue;
			}
			String cleaned = word.toLowerCase(Locale.ROOT).replaceAll("[^a-z-]", "");
			if (!cleaned.isEmpty()) {
				if (reason.length() > 0) {
					reason.append('-');
				}
				reason.append(cleaned);
			}
			if (reason.length() > MAX_REASON_LENGTH) {
				break;
			}
		}
		if (reason.length() > MAX_REASON_LENGTH) {
			reason.setLength(MAX_REASON_LENGTH);
		}
		return (reason.length() > 0) ? reason.toString() : "unknown";
	}

}
