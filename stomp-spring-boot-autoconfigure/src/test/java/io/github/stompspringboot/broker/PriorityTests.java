package io.github.stompspringboot.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.stompspringboot.broker.store.JournalMessageStore;
import io.github.stompspringboot.support.EmbeddedBroker;
import io.github.stompspringboot.support.RawStompClient;
import io.github.stompspringboot.support.RawStompClient.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.stompspringboot.broker.Stomp.message;
import static io.github.stompspringboot.broker.Stomp.send;
import static io.github.stompspringboot.broker.Stomp.sendConfirmed;
import static io.github.stompspringboot.broker.Stomp.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message priority as in ActiveMQ and Artemis: the {@code priority} header (0-9, default
 * 4) orders the messages waiting in a queue, higher first, arrival order within a
 * priority; a destination policy keeps a queue in strict arrival order instead.
 */
class PriorityTests {

	private static final int COUNT = 1000;

	@TempDir
	Path storeDir;

	private EmbeddedBroker broker;

	@AfterEach
	void stop() {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	@Test
	void consumerAfterAThousandMixedPriorityMessagesGetsAllNinesFirstThenEachPriorityInArrivalOrder() throws Exception {
		this.broker = EmbeddedBroker.start();
		produceMixed("/queue/jobs");
		List<Frame> received = consumeAll("/queue/jobs");
		assertThat(received.subList(0, COUNT / 10)).extracting((frame) -> frame.header("priority")).containsOnly("9");
		assertThat(received).extracting(PriorityTests::priorityOf).isSortedAccordingTo(Comparator.reverseOrder());
		for (int priority = 0; priority <= 9; priority++) {
			int p = priority;
			List<Integer> sequence = received.stream()
				.filter((frame) -> priorityOf(frame) == p)
				.map(PriorityTests::sequenceOf)
				.toList();
			assertThat(sequence).as("priority %d in arrival order", p).hasSize(COUNT / 10).isSorted();
		}
	}

	@Test
	void messageWithoutAValidPriorityIsAFourAmongFours() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient producer = connect()) {
			send(producer, "/queue/defaults", "none");
			send(producer, "/queue/defaults", "five", "priority:5");
			send(producer, "/queue/defaults", "four", "priority:4");
			send(producer, "/queue/defaults", "garbage", "priority:urgent");
			send(producer, "/queue/defaults", "three", "priority:3");
			sendConfirmed(producer, "/queue/defaults", "high", "priority:42");
		}
		assertThat(consumeAll("/queue/defaults", 6)).extracting(Frame::bodyText)
			.containsExactly("high", "five", "none", "four", "garbage", "three");
	}

	@Test
	void higherPriorityArrivingWhileLowerOnesWaitGoesNextAndANackedMessageLeadsItsPriority() throws Exception {
		this.broker = EmbeddedBroker.start();
		try (RawStompClient producer = connect(); RawStompClient consumer = connect()) {
			sendConfirmed(producer, "/queue/mixed", "low-a", "priority:1");
			send(producer, "/queue/mixed", "low-b", "priority:1");
			sendConfirmed(producer, "/queue/mixed", "low-c", "priority:1");
			// one message at a time: each ACK lets the next be chosen from what waits
			// then
			subscribe(consumer, "s", "/queue/mixed", "client-individual", "prefetch-count:1");
			Frame first = message(consumer);
			assertThat(first.bodyText()).isEqualTo("low-a");
			sendConfirmed(producer, "/queue/mixed", "urgent", "priority:9");
			Stomp.ack(consumer, first);
			Frame urgent = message(consumer);
			assertThat(urgent.bodyText()).isEqualTo("urgent");
			Stomp.nack(consumer, urgent);
			Frame again = message(consumer);
			assertThat(again.bodyText()).isEqualTo("urgent");
			Stomp.ack(consumer, again);
			List<String> rest = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				Frame next = message(consumer);
				rest.add(next.bodyText());
				Stomp.ack(consumer, next);
			}
			assertThat(rest).containsExactly("low-b", "low-c");
		}
	}

	@Test
	void strictOrderPolicyKeepsArrivalOrderWhateverThePriority() throws Exception {
		this.broker = EmbeddedBroker.start((settings) -> settings.addDestinationOverride("/queue/fifo.**",
				(queue) -> queue.withStrictOrder(true)));
		produceMixed("/queue/fifo.orders");
		assertThat(consumeAll("/queue/fifo.orders")).extracting(PriorityTests::sequenceOf).isSorted();
		// Other queues keep priority order on the same broker.
		produceMixed("/queue/other");
		assertThat(consumeAll("/queue/other").get(0).header("priority")).isEqualTo("9");
	}

	@Test
	void persistentMessagesKeepTheirPriorityAcrossARestart() throws Exception {
		try (EmbeddedBroker first = EmbeddedBroker.start(new JournalMessageStore(this.storeDir, false), (s) -> {
		}); RawStompClient producer = RawStompClient.connect(first.port(), "1.2")) {
			sendConfirmed(producer, "/queue/durable", "low", "persistent:true", "priority:1");
			sendConfirmed(producer, "/queue/durable", "top", "persistent:true", "priority:9");
			sendConfirmed(producer, "/queue/durable", "mid-a", "persistent:true");
			sendConfirmed(producer, "/queue/durable", "mid-b", "persistent:true", "priority:4");
		}
		this.broker = EmbeddedBroker.start(new JournalMessageStore(this.storeDir, false), (s) -> {
		});
		assertThat(consumeAll("/queue/durable", 4)).extracting(Frame::bodyText)
			.containsExactly("top", "mid-a", "mid-b", "low");
	}

	/**
	 * COUNT messages, priorities 0-9 interleaved (each tenth message a 9), bodies
	 * "priority-sequence".
	 */
	private void produceMixed(String queue) throws Exception {
		try (RawStompClient producer = connect()) {
			for (int i = 0; i < COUNT; i++) {
				int priority = (i * 7) % 10;
				String body = priority + "-" + i;
				if (i == COUNT - 1) {
					sendConfirmed(producer, queue, body, "priority:" + priority);
				}
				else {
					send(producer, queue, body, "priority:" + priority);
				}
			}
		}
	}

	private List<Frame> consumeAll(String queue) throws Exception {
		return consumeAll(queue, COUNT);
	}

	private List<Frame> consumeAll(String queue, int count) throws Exception {
		List<Frame> received = new ArrayList<>();
		try (RawStompClient consumer = connect()) {
			subscribe(consumer, "s", queue, "auto");
			for (int i = 0; i < count; i++) {
				received.add(message(consumer, Duration.ofSeconds(10)));
			}
			assertThat(consumer.readFor(Duration.ofMillis(200))).as("nothing more").isEmpty();
		}
		return received;
	}

	private static int priorityOf(Frame frame) {
		return Integer.parseInt(frame.bodyText().split("-")[0]);
	}

	private static int sequenceOf(Frame frame) {
		return Integer.parseInt(frame.bodyText().split("-")[1]);
	}

	private RawStompClient connect() throws Exception {
		return RawStompClient.connect(this.broker.port(), "1.2");
	}

}
