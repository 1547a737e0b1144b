package io.github.stompspringboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a fresh embedded STOMP broker (engine defaults, a free loopback port) for each
 * test of the annotated class, without a Spring context; a test method receives it as a
 * {@link StompTestBroker} parameter. For other settings register a
 * {@link StompBrokerExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(StompBrokerExtension.class)
public @interface EmbeddedStompBroker {

}
