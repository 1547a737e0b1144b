package io.github.stompspringboot.autoconfigure;

import java.util.Collections;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.user.DefaultUserDestinationResolver;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.simp.user.UserDestinationResult;

/**
 * Spring's user destination resolver, minus the session ids that make Spring Framework
 * 7.0 lose or double a message to a user with more than one session once receive order is
 * preserved.
 * <p>
 * With those ids, {@code UserDestinationMessageHandler} (its {@code SendHelper}, added
 * for spring-projects/spring-framework#31395) sends one mutable message object to each of
 * the user's sessions through a per-session {@code OrderedMessageChannelDecorator},
 * pairing targets and sessions from two unrelated hash sets. When a session's decorator
 * is still busy (its own SUBSCRIBE is being handled: the broker's RECEIPT can reach the
 * page, and the application can send, before that call returns), the decorator queues the
 * message object and the loop goes on to set the next session's destination on that same
 * object: one tab gets the message twice, the other never, or the queued send fails on
 * the now immutable headers. Without session ids the handler sends each target a message
 * of its own, straight through the broker channel, in the order it resolves them.
 * <p>
 * A destination that resolves to one session keeps its id, and so Spring's per-session
 * order. Remove this class once Spring sends a copy per session.
 */
final class PerSessionUserDestinationResolver extends DefaultUserDestinationResolver {

	PerSessionUserDestinationResolver(SimpUserRegistry userRegistry) {
		super(userRegistry);
	}

	@Override
	public @Nullable UserDestinationResult resolveDestination(Message<?> message) {
		UserDestinationResult result = super.resolveDestination(message);
		if (result == null || (result.getTargetDestinations().size() <= 1 && result.getSessionIds().size() <= 1)) {
			return result;
		}
		return new UserDestinationResult(result.getSourceDestination(), result.getTargetDestinations(),
				result.getSubscribeDestination(), result.getUser(), Collections.emptySet());
	}

	/**
	 * Puts the resolver in place of the one {@code @EnableWebSocketMessageBroker} makes,
	 * with its settings, before Spring's handlers are built with it.
	 */
	static final class Installer implements BeanPostProcessor {

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) {
			if (bean.getClass() != DefaultUserDestinationResolver.class) {
				return bean;
			}
			DefaultUserDestinationResolver spring = (DefaultUserDestinationResolver) bean;
			PerSessionUserDestinationResolver resolver = new PerSessionUserDestinationResolver(
					spring.getSimpUserRegistry());
			resolver.setUserDestinationPrefix(spring.getDestinationPrefix());
			resolver.setRemoveLeadingSlash(spring.isRemoveLeadingSlash());
			return resolver;
		}

	}

}
