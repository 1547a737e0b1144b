package io.github.stompspringboot.actuate;

import java.util.Map;

/**
 * The write operations by name, for the endpoint and the admin page: one place that maps
 * an action and its parameters to an HTTP status and a JSON body.
 */
final class StompAdminActions {

	private StompAdminActions() {
	}

	/** What an action answers: an HTTP status and a JSON body. */
	record Result(int status, Map<String, Object> body) {
	}

	static Result run(StompBrokerOperations operations, String action, String connection, String destination,
			String reason, String who) {
		try {
			return switch (action) {
				case "close" -> {
					if (connection == null) {
						yield error(400, "Name the connection to close: {\"connection\": \"s1\"}");
					}
					yield operations.closeConnection(connection, reason, who) ? ok(Map.of("closed", connection))
							: error(404, "No open connection " + connection);
				}
				case "purge" -> (destination == null) ? noDestination()
						: ok(Map.of("destination", destination, "purged", operations.purge(destination, who)));
				case "delete" -> {
					if (destination == null) {
						yield noDestination();
					}
					yield operations.delete(destination, who) ? ok(Map.of("deleted", destination))
							: error(404, "No destination " + destination);
				}
				case "move-dead-letters" -> (destination == null) ? noDestination()
						: ok(Map.of("destination", destination, "moved", operations.moveDeadLetters(destination, who)));
				default -> error(404, "No action '" + action + "'; use close, purge, delete or move-dead-letters.");
			};
		}
		catch (IllegalArgumentException ex) {
			return error(404, ex.getMessage());
		}
		catch (IllegalStateException ex) {
			return error(409, ex.getMessage());
		}
	}

	private static Result noDestination() {
		return error(400, "Name the destination: {\"destination\": \"/queue/...\"}");
	}

	private static Result ok(Map<String, Object> body) {
		return new Result(200, body);
	}

	private static Result error(int status, String message) {
		return new Result(status, Map.of("error", message));
	}

}
