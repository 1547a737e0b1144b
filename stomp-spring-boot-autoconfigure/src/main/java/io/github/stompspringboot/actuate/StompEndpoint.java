package io.github.stompspringboot.actuate;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The {@code stomp} actuator endpoint: {@code GET /actuator/stomp} shows connections,
 * destinations and totals; {@code GET /actuator/stomp/connections}, {@code /destinations}
 * and {@code /messages?destination=/queue/a&max=10} one part. {@code POST
 * /actuator/stomp/{action}} with a JSON body changes the broker: {@code close}
 * ({@code connection}, {@code reason}), {@code purge}, {@code delete} and
 * {@code move-dead-letters} ({@code destination}). Writes are allowed as
 * {@link StompAdminAccess} says and logged with who made them.
 */
@Endpoint(id = "stomp")
public class StompEndpoint {

	private static final boolean SERVLET_PRESENT = ClassUtils
		.isPresent("org.springframework.web.context.request.RequestContextHolder", StompEndpoint.class.getClassLoader())
			&& ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", StompEndpoint.class.getClassLoader());

	private final StompBrokerOperations operations;

	private final StompAdminAccess access;

	public StompEndpoint(StompBrokerOperations operations, StompAdminAccess access) {
		this.operations = operations;
		this.access = access;
	}

	@ReadOperation
	public StompBrokerOperations.Overview broker() {
		return this.operations.overview();
	}

	@ReadOperation
	public WebEndpointResponse<Object> part(@Selector String part, @Nullable String destination,
			@Nullable Integer max) {
		try {
			return switch (part) {
				case "connections" -> new WebEndpointResponse<>(this.operations.connections());
				case "destinations" -> new WebEndpointResponse<>(this.operations.destinations());
				case "totals" -> new WebEndpointResponse<>(this.operations.totals());
				case "messages" -> (destination == null) ? badRequest("Name the queue: ?destination=/queue/...")
						: new WebEndpointResponse<>(this.operations.browse(destination, (max != null) ? max : 10));
				default -> notFound("No part '" + part + "'; use connections, destinations, totals or messages.");
			};
		}
		catch (IllegalArgumentException ex) {
			return notFound(ex.getMessage());
		}
	}

	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String action, SecurityContext securityContext,
			@Nullable String connection, @Nullable String destination, @Nullable String reason) {
		StompAdminAccess.Decision decision = decide(securityContext);
		if (!decision.allowed()) {
			return new WebEndpointResponse<>(Map.of("error", decision.reason()), decision.status());
		}
		StompAdminActions.Result result = StompAdminActions.run(this.operations, action, connection, destination,
				reason, decision.who());
		return new WebEndpointResponse<>(result.body(), result.status());
	}

	/**
	 * Over HTTP the same check as the admin page's. Over JMX there is no request: the JMX
	 * connector's own access control decides, as for every other endpoint.
	 */
	private StompAdminAccess.Decision decide(SecurityContext securityContext) {
		StompAdminAccess.Decision decision = SERVLET_PRESENT ? ServletRequests.decide(this.access, securityContext)
				: null;
		return (decision != null) ? decision : new StompAdminAccess.Decision(true, "jmx", 200, null);
	}

	/**
	 * Kept apart so that the endpoint loads in an application without the servlet API.
	 */
	private static final class ServletRequests {

		static StompAdminAccess.Decision decide(StompAdminAccess access, SecurityContext securityContext) {
			RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
			if (attributes instanceof ServletRequestAttributes servlet) {
				HttpServletRequest request = servlet.getRequest();
				return access.check(securityContext.getPrincipal(), request.getHeader("Authorization"),
						request.getRemoteAddr());
			}
			return null;
		}

	}

	private static WebEndpointResponse<Object> badRequest(String message) {
		return new WebEndpointResponse<>(Map.of("error", message), WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	private static WebEndpointResponse<Object> notFound(String message) {
		return new WebEndpointResponse<>(Map.of("error", message), WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
