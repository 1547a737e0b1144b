package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated bytes thrown at the frame decoder, in random chunks: it never
 * throws, never hands on anything but a frame or a decoding error, stops at its first
 * error, and never holds more than its limits allow. Bounded tries, so
 * {@code ./mvnw verify} runs it every time.
 */
class StompFrameDecoderFuzzTests {

	private static final int MAX_HEADER_LENGTH = 256;

	private static final int MAX_HEADERS = 16;

	private static final int MAX_BODY = 1024;

	/**
	 * The most the decoder may hold: a frame's headers at their limits and its body, plus
	 * a read's worth.
	 */
	private static final int MAX_BUFFERED = (MAX_HEADERS + 2) * (MAX_HEADER_LENGTH + 2) + MAX_BODY + 1;

	private static final List<String> VALID_FRAMES = List.of("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0",
			"CONNECT\r\n\r\n\0\r\n", "SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello\0",
			"SEND\ndestination:/queue/a\ncontent-length:5\n\nhe\0lo\0",
			"SUBSCRIBE\nid:0\ndestination:/topic/chat.general\nack:client-individual\n\n\0", "UNSUBSCRIBE\nid:0\n\n\0",
			"ACK\nid:0|s1-1\n\n\0", "NACK\nid:0|s1-1\n\n\0", "BEGIN\ntransaction:tx1\n\n\0",
			"COMMIT\ntransaction:tx1\n\n\0", "DISCONNECT\nreceipt:77\n\n\0", "\n\n\r\n",
			"SEND\ndestination:/queue/esc\nkey\\c:va\\nl\\\\ue\n\n\0");

	@Property(tries = 1000)
	void randomBytesInRandomChunks(@ForAll @Size(max = 4096) byte[] bytes,
			@ForAll @IntRange(min = 1, max = 300) int chunk) {
		feed(bytes, chunk);
	}

	/**
	 * Found by this fuzzer: a CR arriving alone before its LF between frames threw out of
	 * the decoder.
	 */
	@Property(tries = 20)
	void heartBeatCrLfSplitBetweenReadsIsNoError(@ForAll @IntRange(min = 0, max = 3) int framesBefore) {
		String frames = "SEND\ndestination:/queue/a\n\nx\0".repeat(framesBefore) + "\r\n";
		assertThat(feed(frames.getBytes(StandardCharsets.UTF_8), 1)).hasSize(framesBefore)
			.allMatch(Message.class::isInstance);
	}

	/**
	 * Found by this fuzzer: Spring's content-type parsing threw out of the decoder on an
	 * open quote.
	 */
	@Property(tries = 20)
	void malformedContentTypeIsADecodingError(@ForAll("badContentTypes") String contentType) {
		List<Object> out = feed(("SEND\ndestination:/queue/a\ncontent-type:" + contentType + "\n\nx\0")
			.getBytes(StandardCharsets.UTF_8), 7);
		assertThat(out).singleElement().isInstanceOf(StompDecodingError.class);
		assertThat(((StompDecodingError) out.get(0)).getMessage()).startsWith("Invalid content-type");
	}

	@Provide
	Arbitrary<String> badContentTypes() {
		return Arbitraries.of("\"ext", "/", "text/", "*/plain");
	}

	@Property(tries = 1000)
	void mutatedValidFrames(@ForAll("mutatedFrames") byte[] bytes, @ForAll @IntRange(min = 1, max = 64) int chunk) {
		feed(bytes, chunk);
	}

	@Property(tries = 300)
	void validFramesSplitAnywhereDecodeToTheSameFrames(@ForAll("validSequences") String frames,
			@ForAll @IntRange(min = 1, max = 17) int chunk) {
		List<Object> whole = feed(frames.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE);
		List<Object> split = feed(frames.getBytes(StandardCharsets.UTF_8), chunk);
		assertThat(split).hasSameSizeAs(whole);
		for (int i = 0; i < whole.size(); i++) {
			assertThat(describe(split.get(i))).isEqualTo(describe(whole.get(i)));
		}
		assertThat(whole).noneMatch(StompDecodingError.class::isInstance);
	}

	@Provide
	Arbitrary<String> validSequences() {
		return Arbitraries.of(VALID_FRAMES).list().ofMinSize(1).ofMaxSize(8).map((list) -> String.join("", list));
	}

	@Provide
	Arbitrary<byte[]> mutatedFrames() {
		Arbitrary<byte[]> base = validSequences().map((s) -> s.getBytes(StandardCharsets.UTF_8));
		Arbitrary<List<int[]>> mutations = Combinators
			.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 100_000),
					Arbitraries.integers().between(0, 255), Arbitraries.integers().between(1, 600))
			.as((kind, position, value, length) -> new int[] { kind, position, value, length })
			.list()
			.ofMinSize(1)
			.ofMaxSize(6);
		return Combinators.combine(base, mutations).as(StompFrameDecoderFuzzTests::mutate);
	}

	/** Flip, insert, delete, repeat a run, truncate, or insert a long run of one byte. */
	private static byte[] mutate(byte[] original, List<int[]> mutations) {
		List<Byte> bytes = new ArrayList<>();
		for (byte b : original) {
			bytes.add(b);
		}
		for (int[] m : mutations) {
			int at = bytes.isEmpty() ? 0 : m[1] % bytes.size();
			byte value = (byte) m[2];
			switch (m[0]) {
				case 0 -> {
					if (!bytes.isEmpty()) {
						bytes.set(at, value);
					}
				}
				case 1 -> bytes.add(at, value);
				case 2 -> {
					if (!bytes.isEmpty()) {
						bytes.remove(at);
					}
				}
				case 3 -> {
					int end = Math.min(bytes.size(), at + m[3] % 40);
					bytes.addAll(at, new ArrayList<>(bytes.subList(at, end)));
				}
				case 4 -> bytes.subList(at, bytes.size()).clear();
				default -> {
					for (int i = 0; i < m[3]; i++) {
						bytes.add(at, value);
					}
				}
			}
		}
		byte[] result = new byte[bytes.size()];
		for (int i = 0; i < result.length; i++) {
			result[i] = bytes.get(i);
		}
		return result;
	}

	/** Feeds the bytes in chunks and checks the decoder's promises after each one. */
	private static List<Object> feed(byte[] bytes, int chunk) {
		StompFrameDecoder decoder = new StompFrameDecoder(MAX_HEADER_LENGTH, MAX_HEADERS, MAX_BODY);
		EmbeddedChannel channel = new EmbeddedChannel(decoder);
		List<Object> out = new ArrayList<>();
		try {
			for (int offset = 0; offset < bytes.length; offset += chunk) {
				int length = Math.min(chunk, bytes.length - offset);
				channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, length));
				channel.checkException();
				Object decoded;
				while ((decoded = channel.readInbound()) != null) {
					assertThat(decoded).isInstanceOfAny(Message.class, StompDecodingError.class);
					assertThat(out).as("nothing after a decoding error")
						.noneMatch(StompDecodingError.class::isInstance);
					out.add(decoded);
				}
				assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(MAX_BUFFERED + length);
			}
		}
		finally {
			channel.finishAndReleaseAll();
		}
		for (Object decoded : out) {
			if (decoded instanceof Message<?> message) {
				assertThat(((byte[]) message.getPayload()).length).isLessThanOrEqualTo(MAX_BODY);
				assertThat(StompHeaderAccessor.wrap(message).toNativeHeaderMap()).hasSizeLessThanOrEqualTo(MAX_HEADERS);
			}
			else {
				StompDecodingError error = (StompDecodingError) decoded;
				assertThat(error.getMessage()).isNotBlank().doesNotContain("Exception");
			}
		}
		return out;
	}

	private static String describe(Object decoded) {
		if (decoded instanceof Message<?> message) {
			StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
			return accessor.getCommand() + " " + accessor.toNativeHeaderMap() + " "
					+ new String((byte[]) message.getPayload(), StandardCharsets.ISO_8859_1);
		}
		return "error " + ((StompDecodingError) decoded).getMessage();
	}

}
