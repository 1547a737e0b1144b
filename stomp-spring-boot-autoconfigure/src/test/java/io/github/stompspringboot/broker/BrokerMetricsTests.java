package io.github.stompspringboot.broker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ERROR reasons as a meter tag: names, ids and numbers a client chose are left out, and
 * the number of distinct reasons is capped, so no client can grow the number of series.
 */
class BrokerMetricsTests {

	@Test
	void reasonLeavesOutQuotedPartsDestinationsAndNumbers() {
		assertThat(BrokerMetrics.reasonOf("Queue /queue/orders.a is full")).isEqualTo("queue-is-full");
		assertThat(BrokerMetrics.reasonOf("Invalid ack mode 'sometimes'")).isEqualTo("invalid-ack-mode");
		assertThat(BrokerMetrics.reasonOf("Transaction 'tx one two' is too large"))
			.isEqualTo("transaction-is-too-large");
		assertThat(BrokerMetrics.reasonOf("ACK of unknown message 'a|b'")).isEqualTo("ack-of-unknown-message");
		assertThat(BrokerMetrics.reasonOf("Frame too large")).isEqualTo("frame-too-large");
		assertThat(BrokerMetrics.reasonOf("Access denied to /topic/secret")).isEqualTo("access-denied-to");
		assertThat(BrokerMetrics.reasonOf("Missing 'id' header on SUBSCRIBE")).isEqualTo("missing-header-on-subscribe");
		assertThat(BrokerMetrics.reasonOf("")).isEqualTo("unknown");
		assertThat(BrokerMetrics.reasonOf(null)).isEqualTo("unknown");
		assertThat(BrokerMetrics.reasonOf("x".repeat(10_000) + " y")).hasSize(BrokerMetrics.MAX_REASON_LENGTH);
	}

	@Test
	void reasonsPastTheCapAreCountedAsOther() {
		BrokerMetrics metrics = new BrokerMetrics();
		for (int i = 0; i < BrokerMetrics.MAX_ERROR_REASONS + 20; i++) {
			// letters only, so each survives as a reason of its own: "reason ba", "reason
			// bb", ...
			metrics.errorSent("reason " + (char) ('b' + i / 26) + (char) ('a' + i % 26));
		}
		metrics.errorSent("Frame too large");
		assertThat(metrics.errorsSent()).hasSize(BrokerMetrics.MAX_ERROR_REASONS + 1);
		assertThat(metrics.errorsSent().get(BrokerMetrics.OTHER)).isEqualTo(21);
	}

}
