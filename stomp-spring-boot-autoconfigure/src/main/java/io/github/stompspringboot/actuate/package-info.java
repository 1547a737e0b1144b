/**
 * Operations: the {@code stomp} health indicator, the {@code stomp.broker.*} meters, the
 * {@code stomp} Actuator endpoint and the admin page. Uses the engine's read-only views
 * and operator actions; Actuator, Micrometer and Spring MVC are optional.
 */
@NullMarked
package io.github.stompspringboot.actuate;

import org.jspecify.annotations.NullMarked;
