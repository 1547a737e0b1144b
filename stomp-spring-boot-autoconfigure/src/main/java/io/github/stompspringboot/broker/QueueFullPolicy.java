package io.github.stompspringboot.broker;

/** What a producer meets when the queue it sends to holds its maximum depth. */
public enum QueueFullPolicy {

	/**
	 * The broker stops reading from the producer's connection (TCP back-pressure) until
	 * the queue drains; the SEND that filled the queue, and any already read, are kept.
	 */
	BLOCK,

	/**
	 * The SEND gets an ERROR frame saying the queue is full, and the connection closes.
	 */
	FAIL

}
