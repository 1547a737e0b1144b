package io.github.stompspringboot.broker;

import java.time.Duration;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code selector} header of SUBSCRIBE, over real sockets: JMS/SQL-92 conditions on
 * message headers, as the seed documents use them ({@code location = 'Europe'}).
 */
class MessageSelectorTests {

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@Test
	void topicSubscriberReceivesOnlyMessagesItsSelectorMatches() throws Exception {
		try (RawStompClient europe = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(europe, "eu", "/topic/weather", "auto", "selector:location = 'Europe'");
			Stomp.sendConfirmed(producer, "/topic/weather", "rain-in-asia", "location:Asia");
			Stomp.sendConfirmed(producer, "/topic/weather", "sun-in-europe", "location:Europe");
			Stomp.sendConfirmed(producer, "/topic/weather", "no-location");
			assertThat(Stomp.message(europe).bodyText()).isEqualTo("sun-in-europe");
			assertThat(europe.readFor(Duration.ofMillis(300))).as("nothing else matches").isEmpty();
		}
	}

	@Test
	void queueMessageNoSelectorMatchesWaitsWithoutBlockingTheOnesBehindIt() throws Exception {
		try (RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient selective = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.sendConfirmed(producer, "/queue/consumers", "for-other", "consumerId:12.1@6006");
			Stomp.sendConfirmed(producer, "/queue/consumers", "for-me", "consumerId:88.3@6006");
			Stomp.subscribe(selective, "mine", "/queue/consumers", "client-individual",
					"selector:consumerId = '88.3@6006'");
			Frame mine = Stomp.message(selective);
			assertThat(mine.bodyText()).isEqualTo("for-me");
			Stomp.ack(selective, mine);
			assertThat(selective.readFor(Duration.ofMillis(300))).isEmpty();
			try (RawStompClient anyone = RawStompClient.connect(this.broker.port(), "1.2")) {
				Stomp.subscribe(anyone, "all", "/queue/consumers", "auto");
				assertThat(Stomp.message(anyone).bodyText()).isEqualTo("for-other");
			}
		}
	}

	@Test
	void headersComparedWithNumbersAreReadAsNumbers() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(consumer, "big", "/topic/orders", "auto",
					"selector:amount > 100 AND amount * 2 <= 1000.5 AND priority BETWEEN 3 AND 7");
			Stomp.sendConfirmed(producer, "/topic/orders", "small", "amount:99", "priority:5");
			Stomp.sendConfirmed(producer, "/topic/orders", "not-a-number", "amount:lots", "priority:5");
			Stomp.sendConfirmed(producer, "/topic/orders", "too-urgent", "amount:250", "priority:9");
			Stomp.sendConfirmed(producer, "/topic/orders", "right", "amount:250", "priority:4");
			assertThat(Stomp.message(consumer).bodyText()).isEqualTo("right");
			assertThat(consumer.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void stringOperatorsAndNullTests() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(consumer, "s", "/topic/events", "auto",
					"selector:(type IN ('order', 'refund') OR region LIKE 'eu-%') AND NOT (code IS NOT NULL AND code = '7') AND vip IS NULL");
			Stomp.sendConfirmed(producer, "/topic/events", "order", "type:order");
			Stomp.sendConfirmed(producer, "/topic/events", "eu", "type:other", "region:eu-west");
			Stomp.sendConfirmed(producer, "/topic/events", "code7", "type:refund", "code:7");
			Stomp.sendConfirmed(producer, "/topic/events", "vip", "type:order", "vip:yes");
			Stomp.sendConfirmed(producer, "/topic/events", "us", "type:other", "region:us-east");
			assertThat(Stomp.message(consumer).bodyText()).isEqualTo("order");
			assertThat(Stomp.message(consumer).bodyText()).isEqualTo("eu");
			assertThat(consumer.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void numericLookingHeaderComparedWithAStringLiteralIsComparedAsAString() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.subscribeConfirmed(consumer, "s", "/topic/codes", "auto", "selector:code = '007'");
			Stomp.sendConfirmed(producer, "/topic/codes", "seven", "code:7");
			Stomp.sendConfirmed(producer, "/topic/codes", "double-o-seven", "code:007");
			assertThat(Stomp.message(consumer).bodyText()).isEqualTo("double-o-seven");
			assertThat(consumer.readFor(Duration.ofMillis(300))).isEmpty();
		}
	}

	@Test
	void invalidSelectorIsAnErrorThatQuotesIt() throws Exception {
		try (RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2")) {
			Stomp.subscribe(consumer, "bad", "/queue/x", "auto", "selector:location = = 'Europe'");
			Frame error = Stomp.expectError(consumer);
			assertThat(error.header("message")).contains("Invalid selector").contains("location = = 'Europe'");
			assertThat(error.bodyText()).contains("SQL-92");
		}
	}

}
