/**
 * Durable {@link io.github.stompspringboot.broker.MessageStore} implementations. Uses
 * only the engine package.
 */
@NullMarked
package io.github.stompspringboot.broker.store;

import org.jspecify.annotations.NullMarked;
