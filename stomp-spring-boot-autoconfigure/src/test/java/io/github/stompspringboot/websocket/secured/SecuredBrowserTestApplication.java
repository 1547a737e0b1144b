package io.github.stompspringboot.websocket.secured;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application secured the Boot way and nothing more: Spring Security on the class
 * path, Boot's form login and its one user from {@code spring.security.user.*}. The
 * starter takes identities from it for browsers and TCP clients alike.
 */
@SpringBootApplication
public class SecuredBrowserTestApplication {

}
