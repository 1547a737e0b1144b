package io.github.stompspringboot.actuate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The admin page at {@code stomp.admin.path} when {@code stomp.admin.enabled=true}, in a
 * servlet web application with the embedded broker. Needs no Actuator.
 */
@AutoConfiguration(after = StompOperationsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBooleanProperty("stomp.admin.enabled")
@ConditionalOnBean(StompBrokerOperations.class)
@EnableConfigurationProperties(StompAdminProperties.class)
public final class StompAdminAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	StompAdminPage stompAdminPage(StompBrokerOperations operations, StompAdminAccess access,
			StompAdminProperties properties) {
		return new StompAdminPage(operations, access, properties.getPath(), properties.getRefreshInterval().toMillis());
	}

	@Bean
	RouterFunction<ServerResponse> stompAdminRoutes(StompAdminPage page) {
		return page.routes();
	}

}
