package io.github.stompspringboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port the STOMP TCP listener got ({@code local.stomp.port}), as Boot's
 * {@code @LocalServerPort} injects the HTTP one. In tests the listener takes a free port
 * unless the test sets {@code stomp.broker.tcp.port} itself.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.stomp.port}")
public @interface LocalStompPort {

}
