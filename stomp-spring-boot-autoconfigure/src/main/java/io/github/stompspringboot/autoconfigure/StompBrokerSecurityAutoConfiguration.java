package io.github.stompspringboot.autoconfigure;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.github.stompspringboot.broker.StompAuthenticator;
import io.github.stompspringboot.broker.StompAuthorizationPolicy;
import io.github.stompspringboot.broker.security.AccessRule;
import io.github.stompspringboot.broker.security.AccessRulePolicy;
import io.github.stompspringboot.broker.security.AuthenticationManagerLoginVerifier;
import io.github.stompspringboot.broker.security.CredentialsAuthenticator;
import io.github.stompspringboot.broker.security.InMemoryStompUsers;
import io.github.stompspringboot.broker.security.LoginFailureThrottle;
import io.github.stompspringboot.broker.security.StompLoginVerifier;
import io.github.stompspringboot.broker.security.StompUser;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.util.ClassUtils;

/**
 * Users, anonymous access, access rules and login throttling of the embedded STOMP broker
 * ({@code stomp.broker.security.*}). When the application has a Spring Security
 * {@link AuthenticationManager} bean, STOMP logins are checked by it instead of the configured
 * users.
 */
@AutoConfiguration(before = StompBrokerAutoConfiguration.class,
		afterName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
				"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "stomp.broker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "embedded", matchIfMissing = true)
@EnableConfigurationProperties(StompBrokerSecurityProperties.class)
@Import({ StompBrokerSecurityAutoConfiguration.AuthenticationManagerConfiguration.class,
		StompBrokerSecurityAutoConfiguration.ConfiguredUsersConfiguration.class })
public final class StompBrokerSecurityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	InMemoryStompUsers stompUsers(StompBrokerSecurityProperties properties) {
		return new InMemoryStompUsers(properties.getUsers()
			.stream()
			.map((user) -> new StompUser(user.getLogin(), user.getPassword(), Set.copyOf(user.getGroups())))
			.toList());
	}

	@Bean
	@ConditionalOnMissingBean
	LoginFailureThrottle stompLoginFailureThrottle(StompBrokerSecurityProperties properties) {
		StompBrokerSecurityProperties.LoginFailure loginFailure = properties.getLoginFailure();
		return new LoginFailureThrottle(loginFailure.getDelay(), loginFailure.getMaxDelay(),
				loginFailure.getMaxTrackedAddresses());
	}

	@Bean
	@ConditionalOnMissingBean
	StompAuthorizationPolicy stompAuthorizationPolicy(StompBrokerSecurityProperties properties) {
		List<AccessRule> rules = properties.getRules()
			.stream()
			.map((rule) -> AccessRule.of(rule.getActions(), rule.getDestinations(), rule.getGroups()))
			.toList();
		return rules.isEmpty() ? StompAuthorizationPolicy.ALLOW_ALL : new AccessRulePolicy(rules);
	}

	/**
	 * The groups of a user the application authenticated (a relayed browser session): those of
	 * the configured user of that name, and the authorities when it is a Spring Security
	 * Authentication.
	 */
	static Function<Principal, Set<String>> principalGroups(InMemoryStompUsers users) {
		boolean springSecurity = ClassUtils.isPresent("org.springframework.security.core.Authentication",
				StompBrokerSecurityAutoConfiguration.class.getClassLoader());
		return (principal) -> {
			Set<String> groups = new LinkedHashSet<>(users.groupsOf(principal.getName()));
			if (springSecurity) {
				groups.addAll(AuthenticationManagerLoginVerifier.groupsOf(principal));
			}
			return groups;
		};
	}

	static CredentialsAuthenticator authenticator(StompLoginVerifier verifier, InMemoryStompUsers users,
			StompBrokerSecurityProperties properties, LoginFailureThrottle throttle) {
		StompBrokerSecurityProperties.Anonymous anonymous = properties.getAnonymous();
		return new CredentialsAuthenticator(verifier, principalGroups(users), anonymous.isEnabled(),
				Set.copyOf(anonymous.getGroups()), throttle);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AuthenticationManager.class)
	@ConditionalOnBean(AuthenticationManager.class)
	static class AuthenticationManagerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StompAuthenticator stompAuthenticator(AuthenticationManager authenticationManager, InMemoryStompUsers users,
				StompBrokerSecurityProperties properties, LoginFailureThrottle throttle) {
			return authenticator(new AuthenticationManagerLoginVerifier(authenticationManager), users, properties,
					throttle);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(type = "org.springframework.security.authentication.AuthenticationManager")
	static class ConfiguredUsersConfiguration {

		/**
		 * With users configured, logins are checked against them. With none, a login cannot be
		 * checked: it names the client, who gets the anonymous groups, as long as anonymous
		 * access is on.
		 */
		@Bean
		@ConditionalOnMissingBean
		StompAuthenticator stompAuthenticator(InMemoryStompUsers users, StompBrokerSecurityProperties properties,
				LoginFailureThrottle throttle) {
			StompLoginVerifier verifier = users;
			if (users.isEmpty()) {
				StompBrokerSecurityProperties.Anonymous anonymous = properties.getAnonymous();
				Set<String> anonymousGroups = Set.copyOf(anonymous.getGroups());
				verifier = anonymous.isEnabled() ? (login, passcode) -> anonymousGroups : (login, passcode) -> null;
			}
			return authenticator(verifier, users, properties, throttle);
		}

	}

}
