package io.github.stompspringboot.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.github.stompspringboot.broker.BrokerMessage;

/**
 * The bytes a stored message is kept as, with the queue it belongs to: one format for
 * every store.
 */
final class StoredMessageCodec {

	private static final byte FORMAT = 1;

	private StoredMessageCodec() {
	}

	/**
	 * The message's bytes, with the queue it belongs to: a format byte, then big-endian
	 * ints, longs and length-prefixed UTF-8 strings, sized exactly and written into one
	 * array.
	 */
	static byte[] encode(String queue, BrokerMessage message) {
		List<byte[]> strings = new ArrayList<>(8);
		int size = 1 + 4 + 1 + 8 + 4 + 4 + message.body().length;
		size += add(strings, queue) + add(strings, message.messageId()) + add(strings, message.destination());
		for (Map.Entry<String, List<String>> header : message.headers().entrySet()) {
			size += add(strings, header.getKey()) + 4;
			for (String value : header.getValue()) {
				size += add(strings, value);
			}
		}
		ByteBuffer out = ByteBuffer.allocate(size);
		out.put(FORMAT);
		int next = 0;
		put(out, strings.get(next++));
		put(out, strings.get(next++));
		put(out, strings.get(next++));
		out.putInt(message.deliveryCount());
		out.put((byte) (message.isPersistent() ? 1 : 0));
		out.putLong(message.expiration());
		out.putInt(message.headers().size());
		for (Map.Entry<String, List<String>> header : message.headers().entrySet()) {
			put(out, strings.get(next++));
			out.putInt(header.getValue().size());
			for (int i = 0; i < header.getValue().size(); i++) {
				put(out, strings.get(next++));
			}
		}
		out.putInt(message.body().length);
		out.put(message.body());
		return out.array();
	}

	static Decoded decode(long storeId, byte[] stored) {
		try {
			return decode(storeId, stored, null, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Decodes a stored message; with {@code bodies}, its body goes there instead of the
	 * heap, and with {@code strings}, the queue, destination and header names and short
	 * values are shared with earlier messages that had the same.
	 */
	static Decoded decode(long storeId, byte[] stored, @Nullable Sharing strings, @Nullable RecoveredBodies bodies)
			throws IOException {
		ByteBuffer in = ByteBuffer.wrap(stored);
		int format = in.get();
		if (format != FORMAT) {
			throw new IllegalStateException("Stored message " + storeId + " has unknown format " + format);
		}
		String queue = shared(strings, readString(in));
		String messageId = readString(in);
		String destination = shared(strings, readString(in));
		int deliveryCount = in.getInt();
		boolean persistent = in.get() != 0;
		long expiration = in.getLong();
		int headerCount = in.getInt();
		Map<String, List<String>> headers;
		if (headerCount == 1 && strings != null) {
			headers = oneHeader(strings, in);
		}
		else {
			headers = new LinkedHashMap<>(headerCount * 4 / 3 + 1);
			for (int i = 0; i < headerCount; i++) {
				String name = shared(strings, readString(in));
				int valueCount = in.getInt();
				List<String> values = new ArrayList<>(valueCount);
				for (int j = 0; j < valueCount; j++) {
					values.add(shared(strings, readString(in)));
				}
				headers.put(name, values);
			}
		}
		int bodyLength = in.getInt();
		if (bodies != null) {
			return new Decoded(queue, new BrokerMessage(messageId, destination, headers, bodies.add(in, bodyLength),
					deliveryCount, persistent, expiration, storeId));
		}
		byte[] body = new byte[bodyLength];
		in.get(body);
		return new Decoded(queue, new BrokerMessage(messageId, destination, headers, body, deliveryCount, persistent,
				expiration, storeId));
	}

	/**
	 * A message's only header (as a persistent SEND often has, {@code persistent:true}),
	 * as an immutable map shared by every recovered message with the same one: a million
	 * recovered messages each holding a hash table would be a heap of its own.
	 */
	private static Map<String, List<String>> oneHeader(Sharing strings, ByteBuffer in) {
		String name = shared(strings, readString(in));
		int valueCount = in.getInt();
		List<String> values = new ArrayList<>(valueCount);
		for (int j = 0; j < valueCount; j++) {
			values.add(shared(strings, readString(in)));
		}
		if (valueCount != 1 || name.length() + values.get(0).length() > SHARED_MAX_LENGTH) {
			return Map.of(name, List.copyOf(values));
		}
		String key = name + "\n" + values.get(0);
		Map<String, List<String>> shared = strings.oneHeaders.get(key);
		if (shared == null) {
			shared = Map.of(name, List.of(values.get(0)));
			if (strings.oneHeaders.size() < SHARED_MAX_COUNT) {
				strings.oneHeaders.put(key, shared);
			}
		}
		return shared;
	}

	/** Values longer than this are unlikely to repeat (ids, timestamps): not shared. */
	private static final int SHARED_MAX_LENGTH = 64;

	/** Strings kept for sharing at most: a header unique to each message stops there. */
	private static final int SHARED_MAX_COUNT = 10_000;

	private static String shared(@Nullable Sharing strings, String value) {
		if (strings == null || value.length() > SHARED_MAX_LENGTH) {
			return value;
		}
		String earlier = strings.strings.get(value);
		if (earlier != null) {
			return earlier;
		}
		if (strings.strings.size() < SHARED_MAX_COUNT) {
			strings.strings.put(value, value);
		}
		return value;
	}

	private static int add(List<byte[]> strings, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		strings.add(bytes);
		return 4 + bytes.length;
	}

	private static void put(ByteBuffer out, byte[] string) {
		out.putInt(string.length);
		out.put(string);
	}

	private static String readString(ByteBuffer in) {
		int length = in.getInt();
		String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
		in.position(in.position() + length);
		return value;
	}

	/**
	 * Strings and one-header maps that recovered messages share, so a million of them do
	 * not each hold a copy; for one recovery, on one thread.
	 */
	static final class Sharing {

		private final Map<String, String> strings = new HashMap<>();

		private final Map<String, Map<String, List<String>>> oneHeaders = new HashMap<>();

	}

	record Decoded(String queue, BrokerMessage message) {
	}

}
