package io.github.stompspringboot.autoconfigure;

import java.time.Duration;

import io.github.stompspringboot.broker.StompAuthentication;
import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.security.AccessRulePolicy;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stomp.broker.security.*} and {@code stomp.broker.connect-timeout} bound from
 * properties, checked by real TCP clients against the broker the auto-configuration
 * starts.
 */
class StompBrokerSecurityAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(StompBrokerSecurityAutoConfiguration.class, StompBrokerAutoConfiguration.class))
		.withPropertyValues("stomp.broker.tcp.host=127.0.0.1", "stomp.broker.tcp.port=0",
				"stomp.broker.security.login-failure.delay=0");

	private static RawStompClient connect(AssertableApplicationContext context, String headers) throws Exception {
		RawStompClient client = new RawStompClient(
				context.getEnvironment().getProperty("local.stomp.port", Integer.class));
		client.send("CONNECT\naccept-version:1.2\nhost:localhost\n" + headers + "\n\0");
		return client;
	}

	@Test
	void withoutSecurityPropertiesAnyLoginConnectsAndEverythingIsAllowed() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(StompAuthenticator.class);
			assertThat(context.getBean(StompAuthorizationPolicy.class)).isSameAs(StompAuthorizationPolicy.ALLOW_ALL);
			try (RawStompClient client = connect(context, "login:guest\npasscode:guest\n")) {
				assertThat(client.receive().command()).isEqualTo("CONNECTED");
				client.send("SEND\ndestination:/queue/x\nreceipt:1\n\nx\0");
				assertThat(client.receive().command()).isEqualTo("RECEIPT");
			}
		});
	}

	@Test
	void usersAndRulesFromPropertiesAreEnforced() {
		this.contextRunner
			.withPropertyValues("stomp.broker.security.users[0].login=app1",
					"stomp.broker.security.users[0].password={noop}app1-secret",
					"stomp.broker.security.users[0].groups=appusers", "stomp.broker.security.users[1].login=demo",
					"stomp.broker.security.users[1].password={noop}demo-secret",
					"stomp.broker.security.users[1].groups=users",
					"stomp.broker.security.rules[0].actions=connect create send receive",
					"stomp.broker.security.rules[0].destinations=/topic/chat.**",
					"stomp.broker.security.rules[0].groups=appusers",
					"stomp.broker.security.rules[1].actions=connect,create,receive",
					"stomp.broker.security.rules[1].destinations=/topic/chat.**",
					"stomp.broker.security.rules[1].groups=users", "stomp.broker.security.anonymous.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(StompAuthorizationPolicy.class)).isInstanceOf(AccessRulePolicy.class);
				try (RawStompClient app1 = connect(context, "login:app1\npasscode:app1-secret\n")) {
					assertThat(app1.receive().command()).isEqualTo("CONNECTED");
					app1.send("SEND\ndestination:/topic/chat.general\nreceipt:1\n\nhi\0");
					assertThat(app1.receive().command()).isEqualTo("RECEIPT");
				}
				try (RawStompClient demo = connect(context, "login:demo\npasscode:demo-secret\n")) {
					assertThat(demo.receive().command()).isEqualTo("CONNECTED");
					demo.send("SEND\ndestination:/topic/chat.general\n\nhi\0");
					assertThat(demo.receive().header("message"))
						.isEqualTo("Access denied to send to /topic/chat.general");
				}
				try (RawStompClient wrong = connect(context, "login:demo\npasscode:nope\n")) {
					assertThat(wrong.receive().header("message")).isEqualTo("access refused");
				}
				try (RawStompClient anonymous = connect(context, "")) {
					assertThat(anonymous.receive().header("message")).isEqualTo("access refused");
				}
			});
	}

	@Test
	void anonymousClientsGetTheirGroupsForTheRules() {
		this.contextRunner
			.withPropertyValues("stomp.broker.security.anonymous.groups=guests",
					"stomp.broker.security.rules[0].actions=connect receive create",
					"stomp.broker.security.rules[0].destinations=/topic/public.**",
					"stomp.broker.security.rules[0].groups=guests")
			.run((context) -> {
				try (RawStompClient guest = connect(context, "")) {
					assertThat(guest.receive().command()).isEqualTo("CONNECTED");
					guest.send("SUBSCRIBE\nid:0\ndestination:/topic/public.news\nreceipt:1\n\n\0");
					assertThat(guest.receive().command()).isEqualTo("RECEIPT");
					guest.send("SUBSCRIBE\nid:1\ndestination:/topic/private\n\n\0");
					assertThat(guest.receive().header("message"))
						.isEqualTo("Access denied to receive from /topic/private");
				}
			});
	}

	@Test
	void badRuleActionFailsTheStartupNamingTheAction() {
		this.contextRunner
			.withPropertyValues("stomp.broker.security.rules[0].actions=publish",
					"stomp.broker.security.rules[0].groups=x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("'publish'"));
	}

	@Test
	void loginsGoThroughTheApplicationsAuthenticationManagerWithAuthoritiesAsGroups() {
		this.contextRunner.withUserConfiguration(AuthenticationManagerConfiguration.class)
			.withPropertyValues("stomp.broker.security.rules[0].actions=connect send create",
					"stomp.broker.security.rules[0].destinations=/queue/orders.*",
					"stomp.broker.security.rules[0].groups=appusers")
			.run((context) -> {
				try (RawStompClient app1 = connect(context, "login:app1\npasscode:from-spring-security\n")) {
					Frame connected = app1.receive();
					assertThat(connected.command()).as(connected.toString()).isEqualTo("CONNECTED");
					app1.send("SEND\ndestination:/queue/orders.eu\nreceipt:1\n\nx\0");
					assertThat(app1.receive().command()).isEqualTo("RECEIPT");
				}
				try (RawStompClient wrong = connect(context, "login:app1\npasscode:wrong\n")) {
					assertThat(wrong.receive().header("message")).isEqualTo("access refused");
				}
			});
	}

	@Test
	void withoutSpringSecurityOnTheClasspathConfiguredUsersAreUsed() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AuthenticationManager.class))
			.withPropertyValues("stomp.broker.security.users[0].login=app1",
					"stomp.broker.security.users[0].password={noop}app1-secret")
			.run((context) -> {
				try (RawStompClient app1 = connect(context, "login:app1\npasscode:app1-secret\n")) {
					assertThat(app1.receive().command()).isEqualTo("CONNECTED");
				}
			});
	}

	@Test
	void applicationsOwnAuthenticatorReplacesTheConfiguredOne() {
		this.contextRunner.withUserConfiguration(OwnAuthenticatorConfiguration.class).run((context) -> {
			try (RawStompClient client = connect(context, "login:anyone\n")) {
				Frame error = client.receive();
				assertThat(error.header("message")).isEqualTo("access refused");
			}
		});
	}

	@Test
	void connectTimeoutPropertyClosesAConnectionThatNeverSendsConnect() {
		this.contextRunner.withPropertyValues("stomp.broker.connect-timeout=300ms").run((context) -> {
			try (RawStompClient silent = new RawStompClient(
					context.getEnvironment().getProperty("local.stomp.port", Integer.class))) {
				long start = System.nanoTime();
				Frame error = silent.receive(Duration.ofSeconds(5));
				assertThat(error.command()).isEqualTo("ERROR");
				assertThat(error.header("message")).isEqualTo("No CONNECT frame in time");
				assertThat(silent.awaitClosed(Duration.ofSeconds(5))).isTrue();
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class AuthenticationManagerConfiguration {

		@Bean
		AuthenticationManager authenticationManager() {
			InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
					User.withUsername("app1").password("{noop}from-spring-security").roles("appusers").build());
			return new ProviderManager(new DaoAuthenticationProvider(users));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAuthenticatorConfiguration {

		@Bean
		StompAuthenticator refuseEveryone() {
			return (credentials) -> StompAuthentication.refused(Duration.ZERO);
		}

	}

}
