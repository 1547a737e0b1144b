/**
 * The Netty TCP (and TLS) transport: bytes to frames and back, back-pressure, idle and
 * limit handling, graceful shutdown.
 */
@NullMarked
package io.github.stompspringboot.transport.tcp;

import org.jspecify.annotations.NullMarked;
