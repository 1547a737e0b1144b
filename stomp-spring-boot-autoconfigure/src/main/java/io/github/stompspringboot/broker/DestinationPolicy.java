package io.github.stompspringboot.broker;

/**
 * Delivery rules for the destinations one pattern matches. Each value left {@code null}
 * falls back to the broker-wide setting of the same name.
 */
public class DestinationPolicy {

	private Integer maxRedeliveries;

	private String deadLetterQueue;

	private Integer maxQueueDepth;

	private Long maxQueueBytes;

	private QueueFullPolicy queueFullPolicy;

	private Boolean strictOrder;

	/** See {@link BrokerSettings#getMaxRedeliveries()}. */
	public Integer getMaxRedeliveries() {
		return this.maxRedeliveries;
	}

	public DestinationPolicy setMaxRedeliveries(Integer maxRedeliveries) {
		this.maxRedeliveries = maxRedeliveries;
		return this;
	}

	/** See {@link BrokerSettings#getDeadLetterQueue()}. */
	public String getDeadLetterQueue() {
		return this.deadLetterQueue;
	}

	public DestinationPolicy setDeadLetterQueue(String deadLetterQueue) {
		this.deadLetterQueue = deadLetterQueue;
		return this;
	}

	/** See {@link BrokerSettings#getMaxQueueDepth()}. */
	public Integer getMaxQueueDepth() {
		return this.maxQueueDepth;
	}

	public DestinationPolicy setMaxQueueDepth(Integer maxQueueDepth) {
		this.maxQueueDepth = maxQueueDepth;
		return this;
	}

	/** See {@link BrokerSettings#getMaxQueueBytes()}. */
	public Long getMaxQueueBytes() {
		return this.maxQueueBytes;
	}

	public DestinationPolicy setMaxQueueBytes(Long maxQueueBytes) {
		this.maxQueueBytes = maxQueueBytes;
		return this;
	}

	/** See {@link BrokerSettings#getQueueFullPolicy()}. */
	public QueueFullPolicy getQueueFullPolicy() {
		return this.queueFullPolicy;
	}

	public DestinationPolicy setQueueFullPolicy(QueueFullPolicy queueFullPolicy) {
		this.queueFullPolicy = queueFullPolicy;
		return this;
	}

	/**
	 * Whether a matching queue delivers in arrival order only, ignoring message priority;
	 * unset or false, higher priority goes first among waiting messages.
	 */
	public Boolean getStrictOrder() {
		return this.strictOrder;
	}

	public DestinationPolicy setStrictOrder(Boolean strictOrder) {
		this.strictOrder = strictOrder;
		return this;
	}

	/** This policy with its unset values taken from {@code defaults}. */
	DestinationPolicy over(DestinationPolicy defaults) {
		return new DestinationPolicy()
			.setMaxRedeliveries((this.maxRedeliveries != null) ? this.maxRedeliveries : defaults.maxRedeliveries)
			.setDeadLetterQueue((this.deadLetterQueue != null) ? this.deadLetterQueue : defaults.deadLetterQueue)
			.setMaxQueueDepth((this.maxQueueDepth != null) ? this.maxQueueDepth : defaults.maxQueueDepth)
			.setMaxQueueBytes((this.maxQueueBytes != null) ? this.maxQueueBytes : defaults.maxQueueBytes)
			.setQueueFullPolicy((this.queueFullPolicy != null) ? this.queueFullPolicy : defaults.queueFullPolicy)
			.setStrictOrder((this.strictOrder != null) ? this.strictOrder : defaults.strictOrder);
	}

}
