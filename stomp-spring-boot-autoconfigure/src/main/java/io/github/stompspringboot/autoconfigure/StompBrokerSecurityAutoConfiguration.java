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

import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.ClassUtils;

/**
 * Users, anonymous access, access rules and login throttling of the embedded STOMP broker
 * ({@code stomp.broker.security.*}). When the application has a Spring Security
 * {@link AuthenticationManager} bean, STOMP logins are checked by it instead of the
 * configured users.
 */
@AutoConfiguration(before = StompBrokerAutoConfiguration.class,
		afterName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
				"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "stomp.broker.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "stomp.broker.mode", havingValue = "embedded", matchIfMissing = true)
@EnableConfigurationProperties(StompBrokerSecurityProperties.class)
@Import({ StompBrokerSecurityAutoConfiguration.AuthenticationManagerConfiguration.class,
		StompBrokerSecurityAutoConfiguration.UserDetailsServiceConfiguration.class,
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
	 * Which Principals prove who a session is, and their groups. With security on (users,
	 * access rules, the application's accounts, or anonymous access off) only a Spring
	 * Security {@code Authentication} that authenticated someone does: any other
	 * Principal, such as a nickname a channel interceptor made, is no proof, and the
	 * session must log in like a TCP client or be anonymous. With security off there are
	 * no rights to win, and a Principal simply names the session. Groups are those of the
	 * configured user of that name plus the authorities.
	 */
	static Function<Principal, Set<String>> principalGroups(InMemoryStompUsers users, boolean secured) {
		boolean springSecurity = ClassUtils.isPresent("org.springframework.security.core.Authentication",
				StompBrokerSecurityAutoConfiguration.class.getClassLoader());
		return (principal) -> {
			if (secured && !(springSecurity && AuthenticationManagerLoginVerifier.isAuthenticated(principal))) {
				return null;
			}
			Set<String> groups = new LinkedHashSet<>(users.groupsOf(principal.getName()));
			if (springSecurity) {
				groups.addAll(AuthenticationManagerLoginVerifier.groupsOf(principal));
			}
			return groups;
		};
	}

	static CredentialsAuthenticator authenticator(StompLoginVerifier verifier, boolean applicationAccounts,
			InMemoryStompUsers users, StompBrokerSecurityProperties properties, LoginFailureThrottle throttle) {
		StompBrokerSecurityProperties.Anonymous anonymous = properties.getAnonymous();
		boolean secured = applicationAccounts || !users.isEmpty() || !properties.getRules().isEmpty()
				|| !anonymous.isEnabled();
		return new CredentialsAuthenticator(verifier, principalGroups(users, secured), anonymous.isEnabled(),
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
			return authenticator(new AuthenticationManagerLoginVerifier(authenticationManager), true, users, properties,
					throttle);
		}

	}

	/**
	 * The application's accounts as Spring Boot sets them up: a
	 * {@code UserDetailsService} (the one Boot makes from {@code spring.security.user.*},
	 * or the application's) with its {@code PasswordEncoder}, when there is no
	 * {@code AuthenticationManager} bean to ask.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AuthenticationManager.class)
	@ConditionalOnBean(UserDetailsService.class)
	@ConditionalOnMissingBean(AuthenticationManager.class)
	static class UserDetailsServiceConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StompAuthenticator stompAuthenticator(UserDetailsService userDetailsService,
				ObjectProvider<PasswordEncoder> passwordEncoder, InMemoryStompUsers users,
				StompBrokerSecurityProperties properties, LoginFailureThrottle throttle) {
			DaoAuthenticationProvider provider = new DaoAuthenticationProvider(userDetailsService);
			provider.setPasswordEncoder(
					passwordEncoder.getIfAvailable(PasswordEncoderFactories::createDelegatingPasswordEncoder));
			return authenticator(new AuthenticationManagerLoginVerifier(new ProviderManager(provider)), true, users,
					properties, throttle);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(type = { "org.springframework.security.authentication.AuthenticationManager",
			"org.springframework.security.core.userdetails.UserDetailsService" })
	static class ConfiguredUsersConfiguration {

		/**
		 * With users configured, logins are checked against them. With none, a login
		 * cannot be checked: it names the client, who gets the anonymous groups, as long
		 * as anonymous access is on.
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
			return authenticator(verifier, false, users, properties, throttle);
		}

	}

}
