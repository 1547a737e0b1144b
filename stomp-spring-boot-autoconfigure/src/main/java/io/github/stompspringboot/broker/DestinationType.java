package io.github.stompspringboot.broker;

/** The two delivery models a destination can have. */
public enum DestinationType {

	/** Point-to-point: each message to exactly one consumer, kept until one takes it. */
	QUEUE,

	/** Publish-subscribe: each message to every current subscriber, kept for none. */
	TOPIC

}
