/**
 * Test support for applications that use the starter:
 * {@link io.github.stompspringboot.test.LocalStompPort}, free STOMP ports in every Spring
 * test context, a blocking {@link io.github.stompspringboot.test.StompTestClient} over
 * TCP and WebSocket, and a JUnit 5 extension running a broker without Spring. Needs
 * spring-test and JUnit Jupiter, which {@code spring-boot-starter-test} brings; uses the
 * engine and the TCP transport.
 */
@NullMarked
package io.github.stompspringboot.test;

import org.jspecify.annotations.NullMarked;
