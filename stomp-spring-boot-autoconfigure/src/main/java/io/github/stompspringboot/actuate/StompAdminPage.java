package io.github.stompspringboot.actuate;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The admin page: three static files from the jar and a small JSON API the page polls,
 * every request checked by {@link StompAdminAccess}. The page polls its own API rather
 * than {@code /actuator/stomp} because the actuator endpoint may be unexposed, on another
 * port ({@code management.server.port}) or behind the application's own security, while
 * the page must answer to the broker's rule (admin permission, or loopback) wherever it
 * is served. Both call the same {@link StompBrokerOperations}.
 */
public class StompAdminPage {

	/**
	 * A header cross-site forms cannot set: a write must come from the page's own script.
	 */
	static final String CSRF_HEADER = "X-Stomp-Admin";

	private static final String STATIC = "META-INF/stomp-admin/";

	private final StompBrokerOperations operations;

	private final StompAdminAccess access;

	private final String path;

	private final long refreshMillis;

	public StompAdminPage(StompBrokerOperations operations, StompAdminAccess access, String path, long refreshMillis) {
		this.operations = operations;
		this.access = access;
		this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		this.refreshMillis = refreshMillis;
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET(this.path, (request) -> ServerResponse.status(302).location(URI.create(this.path + "/")).build())
			.GET(this.path + "/", (request) -> file(request, "index.html", MediaType.TEXT_HTML))
			.GET(this.path + "/admin.js", (request) -> file(request, "admin.js", new MediaType("text", "javascript")))
			.GET(this.path + "/admin.css", (request) -> file(request, "admin.css", new MediaType("text", "css")))
			.GET(this.path + "/api/overview", this::overview)
			.GET(this.path + "/api/messages", this::messages)
			.POST(this.path + "/api/{action}", this::act)
			.build();
	}

	private ServerResponse file(ServerRequest request, String name, MediaType type) {
		StompAdminAccess.Decision decision = decide(request);
		if (!decision.allowed()) {
			return refusal(decision, MediaType.TEXT_PLAIN);
		}
		return ServerResponse.ok()
			.contentType(type)
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.body(new ClassPathResource(STATIC + name, StompAdminPage.class.getClassLoader()));
	}

	private ServerResponse overview(ServerRequest request) {
		StompAdminAccess.Decision decision = decide(request);
		if (!decision.allowed()) {
			return refusal(decision, MediaType.APPLICATION_JSON);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("user", decision.who());
		body.put("secured", this.access.isSecured());
		body.put("refreshMillis", this.refreshMillis);
		body.put("broker", this.operations.overview());
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private ServerResponse messages(ServerRequest request) {
		StompAdminAccess.Decision decision = decide(request);
		if (!decision.allowed()) {
			return refusal(decision, MediaType.APPLICATION_JSON);
		}
		Optional<String> destination = request.param("destination");
		if (destination.isEmpty()) {
			return ServerResponse.badRequest().body(Map.of("error", "Name the queue: ?destination=/queue/..."));
		}
		int max;
		try {
			max = request.param("max").map(Integer::parseInt).orElse(20);
		}
		catch (NumberFormatException ex) {
			return ServerResponse.badRequest().body(Map.of("error", "max is a number of messages"));
		}
		try {
			return ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.body(this.operations.browse(destination.get(), max));
		}
		catch (IllegalArgumentException ex) {
			return ServerResponse.status(404).body(Map.of("error", ex.getMessage()));
		}
	}

	private ServerResponse act(ServerRequest request) {
		StompAdminAccess.Decision decision = decide(request);
		if (!decision.allowed()) {
			return refusal(decision, MediaType.APPLICATION_JSON);
		}
		if (request.headers().firstHeader(CSRF_HEADER) == null) {
			return ServerResponse.status(403)
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("error",
						"Write operations come from the admin page's script (header " + CSRF_HEADER + ")."));
		}
		StompAdminActions.Result result = StompAdminActions.run(this.operations, request.pathVariable("action"),
				request.param("connection").orElse(null), request.param("destination").orElse(null),
				request.param("reason").orElse(null), decision.who());
		return ServerResponse.status(result.status()).contentType(MediaType.APPLICATION_JSON).body(result.body());
	}

	private StompAdminAccess.Decision decide(ServerRequest request) {
		HttpServletRequest servlet = request.servletRequest();
		return this.access.check(servlet.getUserPrincipal(), servlet.getHeader(HttpHeaders.AUTHORIZATION),
				servlet.getRemoteAddr());
	}

	private static ServerResponse refusal(StompAdminAccess.Decision decision, MediaType type) {
		ServerResponse.BodyBuilder response = ServerResponse.status(decision.status()).contentType(type);
		if (decision.status() == 401) {
			response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"STOMP broker admin\", charset=\"UTF-8\"");
		}
		return MediaType.APPLICATION_JSON.equals(type) ? response.body(Map.of("error", decision.reason()))
				: response.body(decision.reason());
	}

}
