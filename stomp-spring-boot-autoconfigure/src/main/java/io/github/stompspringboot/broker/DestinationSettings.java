package io.github.stompspringboot.broker;

import java.time.Duration;

/**
 * Everything the broker decides per destination, as Artemis' address-settings: one value
 * for every destination ({@link BrokerSettings#getDestinationDefaults()}), changed by
 * overrides for the destinations a pattern matches
 * ({@link BrokerSettings#addDestinationOverride}). A destination takes its settings once,
 * when it is created.
 *
 * @param maxRedeliveries times a message is redelivered (after a NACK, or because its
 * consumer left without acking it) before it moves to the dead-letter queue; -1
 * redelivers forever
 * @param deadLetterQueue where a message goes after its last redelivery; {@code {name}}
 * stands for the original destination without its queue or topic prefix
 * @param maxQueueDepth messages a queue holds for its consumers before producers meet the
 * queue-full policy
 * @param maxQueueBytes body bytes a queue holds for its consumers before producers meet
 * the queue-full policy
 * @param queueFullPolicy what a producer meets when a queue is full
 * @param strictOrder whether a queue delivers in arrival order only, ignoring message
 * priority; otherwise higher priority goes first among waiting messages
 * @param timeToLive how long after it arrives a message sent without an {@code expires}
 * header expires; {@link Duration#ZERO} never
 * @param persistent whether every message is persistent, as if sent with
 * {@code persistent:true}; persistent messages need a durable message store to survive a
 * restart
 */
public record DestinationSettings(int maxRedeliveries, String deadLetterQueue, int maxQueueDepth, long maxQueueBytes,
		QueueFullPolicy queueFullPolicy, boolean strictOrder, Duration timeToLive, boolean persistent) {

	/**
	 * The engine's defaults, which the {@code stomp.broker.destinations.*} defaults
	 * match.
	 */
	public static final DestinationSettings DEFAULTS = new DestinationSettings(5, "/queue/DLQ.{name}", 100_000,
			64L * 1024 * 1024, QueueFullPolicy.BLOCK, false, Duration.ZERO, false);

	public DestinationSettings withMaxRedeliveries(int maxRedeliveries) {
		return new DestinationSettings(maxRedeliveries, this.deadLetterQueue, this.maxQueueDepth, this.maxQueueBytes,
				this.queueFullPolicy, this.strictOrder, this.timeToLive, this.persistent);
	}

	public DestinationSettings withDeadLetterQueue(String deadLetterQueue) {
		return new DestinationSettings(this.maxRedeliveries, deadLetterQueue, this.maxQueueDepth, this.maxQueueBytes,
				this.queueFullPolicy, this.strictOrder, this.timeToLive, this.persistent);
	}

	public DestinationSettings withMaxQueueDepth(int maxQueueDepth) {
		return new DestinationSettings(this.maxRedeliveries, this.deadLetterQueue, maxQueueDepth, this.maxQueueBytes,
				this.queueFullPolicy, this.strictOrder, this.timeToLive, this.persistent);
	}

	public DestinationSettings withMaxQueueBytes(long maxQueueBytes) {
		return new DestinationSettings(this.maxRedeliveries, this.deadLetterQueue, this.maxQueueDepth, maxQueueBytes,
				this.queueFullPolicy, this.strictOrder, this.timeToLive, this.persistent);
	}

	public DestinationSettings withQueueFullPolicy(QueueFullPolicy queueFullPolicy) {
		return new DestinationSettings(this.maxRedeliveries, this.deadLetterQueue, this.maxQueueDepth,
				this.maxQueueBytes, queueFullPolicy, this.strictOrder, this.timeToLive, this.persistent);
	}

	public DestinationSettings withStrictOrder(boolean strictOrder) {
		return new DestinationSettings(this.maxRedeliveries, this.deadLetterQueue, this.maxQueueDepth,
				this.maxQueueBytes, this.queueFullPolicy, strictOrder, this.timeToLive, this.persistent);
	}

	public DestinationSettings withTimeToLive(Duration timeToLive) {
		return new DestinationSettings(this.maxRedeliveries, this.deadLetterQueue, this.maxQueueDepth,
				this.maxQueueBytes, this.queueFullPolicy, this.strictOrder, timeToLive, this.persistent);
	}

	public DestinationSettings withPersistent(boolean persistent) {
		return new DestinationSettings(this.maxRedeliveries, this.deadLetterQueue, this.maxQueueDepth,
				this.maxQueueBytes, this.queueFullPolicy, this.strictOrder, this.timeToLive, persistent);
	}

}
