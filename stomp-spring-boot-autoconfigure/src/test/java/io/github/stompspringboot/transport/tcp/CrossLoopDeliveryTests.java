package io.github.stompspringboot.transport.tcp;

import java.util.ArrayList;
import java.util.List;

import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.test.StompBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames a producer's event loop queues for subscribers on other loops are handed over
 * once per turn of the producer's loop, not once per frame. Connections are spread over
 * the loops in turn, so a dozen subscribers sit on every loop there is. These tests fail
 * if a hand-off is lost (a message waits for some later event to be written) or if
 * batching reorders what one producer sent.
 */
class CrossLoopDeliveryTests {

	private static final int SUBSCRIBERS = 12;

	private static final int BURST = 300;

	@RegisterExtension
	final StompBrokerExtension broker = new StompBrokerExtension();

	@Test
	void aBurstReadInOneTurnReachesEverySubscriberWholeAndInOrder() throws Exception {
		List<RawStompClient> subscribers = new ArrayList<>();
		try (RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			for (int i = 0; i < SUBSCRIBERS; i++) {
				RawStompClient subscriber = RawStompClient.connect(this.broker.port(), "1.2");
				subscribers.add(subscriber);
				subscriber.subscribe("s", "/topic/burst", "auto");
			}
			// One write: the producer's loop reads the whole burst in as few turns as it
			// can.
			StringBuilder burst = new StringBuilder();
			for (int n = 0; n < BURST; n++) {
				burst.append("SEND\ndestination:/topic/burst\n\n").append(n).append('\0');
			}
			producer.send(burst.toString());
			for (RawStompClient subscriber : subscribers) {
				for (int n = 0; n < BURST; n++) {
					assertThat(subscriber.expect("MESSAGE").bodyText()).isEqualTo(String.valueOf(n));
				}
			}
		}
		finally {
			for (RawStompClient subscriber : subscribers) {
				subscriber.close();
			}
		}
	}

	@Test
	void aLoneMessageIsWrittenWithoutWaitingForAnotherEvent() throws Exception {
		List<RawStompClient> consumers = new ArrayList<>();
		try (RawStompClient producer = RawStompClient.connect(this.broker.port(), "1.2")) {
			for (int i = 0; i < SUBSCRIBERS; i++) {
				RawStompClient consumer = RawStompClient.connect(this.broker.port(), "1.2");
				consumers.add(consumer);
				consumer.subscribe("q", "/queue/lone." + i, "client-individual");
			}
			// One message at a time, each to a consumer that is otherwise idle: nothing
			// else happens on any loop that could write it by chance.
			for (int round = 0; round < 3; round++) {
				for (int i = 0; i < SUBSCRIBERS; i++) {
					producer.send("SEND\ndestination:/queue/lone." + i + "\n\nround " + round + "\0");
					RawStompClient.Frame message = consumers.get(i).expect("MESSAGE");
					assertThat(message.bodyText()).isEqualTo("round " + round);
					consumers.get(i).send("ACK\nid:" + message.header("ack") + "\n\n\0");
				}
			}
		}
		finally {
			for (RawStompClient consumer : consumers) {
				consumer.close();
			}
		}
	}

}
