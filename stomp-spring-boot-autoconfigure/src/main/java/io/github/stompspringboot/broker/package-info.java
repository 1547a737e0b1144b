/**
 * The STOMP broker engine: sessions, destinations, subscriptions, acknowledgements,
 * transactions, heart-beats and limits, over spring-messaging's frame model. Knows
 * nothing of Netty, WebSocket or Spring Boot.
 */
@NullMarked
package io.github.stompspringboot.broker;

import org.jspecify.annotations.NullMarked;
