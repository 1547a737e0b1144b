/**
 * Relay mode's way to an external broker cluster: Spring's Reactor Netty client, moving
 * to the next node when one fails. Uses spring-messaging and Reactor Netty only.
 */
@NullMarked
package io.github.stompspringboot.transport.relay;

import org.jspecify.annotations.NullMarked;
