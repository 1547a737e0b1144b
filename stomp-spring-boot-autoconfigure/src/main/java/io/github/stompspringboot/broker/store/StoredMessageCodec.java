package io.github.stompspringboot.broker.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
		ByteBuffer in = ByteBuffer.wrap(stored);
		int format = in.get();
		if (format != FORMAT) {
			throw new IllegalStateException("Stored message " + storeId + " has unknown format " + format);
		}
		String queue = readString(in);
		String messageId = readString(in);
		String destination = readString(in);
		int deliveryCount = in.getInt();
		boolean persistent = in.get() != 0;
		long expiration = in.getLong();
		int headerCount = in.getInt();
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (int i = 0; i < headerCount; i++) {
			String name = readString(in);
			int valueCount = in.getInt();
			List<String> values = new ArrayList<>(valueCount);
			for (int j = 0; j < valueCount; j++) {
				values.add(readString(in));
			}
			headers.put(name, values);
		}
		byte[] body = new byte[in.getInt()];
		in.get(body);
		return new Decoded(queue, new BrokerMessage(messageId, destination, headers, body, deliveryCount, persistent,
				expiration, storeId));
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

	record Decoded(String queue, BrokerMessage message) {
	}

}
