/**
 * The in-JVM link that plugs the engine into Spring's STOMP relay: frames as objects, no
 * socket.
 */
@NullMarked
package io.github.stompspringboot.transport.injvm;

import org.jspecify.annotations.NullMarked;
