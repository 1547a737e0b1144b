/**
 * Who may connect, send and subscribe: users, groups and access rules behind the engine's
 * authenticator and authorization policy. Uses only the engine package (and Spring
 * Security when present).
 */
@NullMarked
package io.github.stompspringboot.broker.security;

import org.jspecify.annotations.NullMarked;
