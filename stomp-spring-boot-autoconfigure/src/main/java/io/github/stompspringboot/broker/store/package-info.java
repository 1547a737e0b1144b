/**
 * Durable {@link io.github.stompspringboot.broker.MessageStore} implementations. Uses only
 * the engine package.
 */
package io.github.stompspringboot.broker.store;
