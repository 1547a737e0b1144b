package io.github.stompspringboot.bridge;

import java.security.Principal;

/**
 * The user of a TCP client's session as the broker authenticated it (its {@code login}),
 * which {@code @MessageMapping} methods receive as their {@code Principal}.
 */
public record TcpClientPrincipal(String name) implements Principal {

	@Override
	public String getName() {
		return this.name;
	}

}
