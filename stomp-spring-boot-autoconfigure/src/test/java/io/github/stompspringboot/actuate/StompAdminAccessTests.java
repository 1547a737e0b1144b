package io.github.stompspringboot.actuate;

import java.util.List;

import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.security.AccessRule;
import io.github.stompspringboot.broker.security.AccessRulePolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may use the admin page and the write operations: without access rules, loopback
 * addresses only (tests run on loopback, so the other addresses are checked here).
 */
class StompAdminAccessTests {

	private final StompAdminAccess open = new StompAdminAccess(StompAuthenticator.PERMIT_ALL,
			StompAuthorizationPolicy.ALLOW_ALL);

	@Test
	void withoutSecurityOnlyLoopbackAddressesGetIn() {
		assertThat(this.open.isSecured()).isFalse();
		assertThat(this.open.check(null, null, "127.0.0.1").allowed()).isTrue();
		assertThat(this.open.check(null, null, "127.8.9.10").allowed()).isTrue();
		assertThat(this.open.check(null, null, "0:0:0:0:0:0:0:1").allowed()).isTrue();
		assertThat(this.open.check(null, null, "[::1]").allowed()).isTrue();
		StompAdminAccess.Decision remote = this.open.check(null, null, "192.0.2.10");
		assertThat(remote.allowed()).isFalse();
		assertThat(remote.status()).isEqualTo(403);
		assertThat(remote.reason()).contains("loopback").contains("192.0.2.10");
		assertThat(this.open.check(null, null, "localhost").allowed()).as("names are never looked up").isFalse();
		assertThat(this.open.check(null, null, null).allowed()).isFalse();
	}

	@Test
	void withAccessRulesEvenLoopbackNeedsAnAdmin() {
		StompAdminAccess secured = new StompAdminAccess(StompAuthenticator.PERMIT_ALL,
				new AccessRulePolicy(List.of(AccessRule.of(List.of("admin"), List.of(), List.of("operators")))));
		assertThat(secured.isSecured()).isTrue();
		StompAdminAccess.Decision anonymous = secured.check(null, null, "127.0.0.1");
		assertThat(anonymous.allowed()).isFalse();
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(secured.check(null, "Basic !!!", "127.0.0.1").status()).isEqualTo(401);
	}

}
