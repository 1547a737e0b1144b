/**
 * TCP clients inside Spring's messaging: their frames for application destinations reach
 * {@code @MessageMapping} methods through the client inbound channel, their sessions
 * raise Spring's session events and appear in the user registry, and their user
 * destinations resolve as a browser's do. The engine calls it through
 * {@link io.github.stompspringboot.broker.ApplicationGateway}; it never calls the bridge
 * itself.
 */
@NullMarked
package io.github.stompspringboot.bridge;

import org.jspecify.annotations.NullMarked;
