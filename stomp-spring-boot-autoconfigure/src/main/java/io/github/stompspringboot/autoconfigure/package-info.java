/**
 * Spring Boot auto-configuration of the broker, its transports and Spring's WebSocket
 * messaging; configuration properties and failure analyzers.
 */
@NullMarked
package io.github.stompspringboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
