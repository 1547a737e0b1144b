package io.github.stompspringboot.broker.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.stompspringboot.broker.BrokerMessage;

/** The bytes a stored message is kept as, with the queue it belongs to: one format for every store. */
final class StoredMessageCodec {

	private StoredMessageCodec() {
	}

	static byte[] encode(String queue, BrokerMessage message) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.body().length + 256);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(1); // format version
			writeString(out, queue);
			writeString(out, message.messageId());
			writeString(out, message.destination());
			out.writeInt(message.deliveryCount());
			out.writeBoolean(message.isPersistent());
			out.writeLong(message.expiration());
			out.writeInt(message.headers().size());
			for (Map.Entry<String, List<String>> header : message.headers().entrySet()) {
				writeString(out, header.getKey());
				out.writeInt(header.getValue().size());
				for (String value : header.getValue()) {
					writeString(out, value);
				}
			}
			out.writeInt(message.body().length);
			out.write(message.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static Decoded decode(long storeId, byte[] stored) {
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
			int format = in.readByte();
			if (format != 1) {
				throw new IllegalStateException("Stored message " + storeId + " has unknown format " + format);
			}
			String queue = readString(in);
			String messageId = readString(in);
			String destination = readString(in);
			int deliveryCount = in.readInt();
			boolean persistent = in.readBoolean();
			long expiration = in.readLong();
			int headerCount = in.readInt();
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 0; i < headerCount; i++) {
				String name = readString(in);
				int valueCount = in.readInt();
				List<String> values = new ArrayList<>(valueCount);
				for (int j = 0; j < valueCount; j++) {
					values.add(readString(in));
				}
				headers.put(name, values);
			}
			byte[] body = new byte[in.readInt()];
			in.readFully(body);
			return new Decoded(queue, new BrokerMessage(messageId, destination, headers, body, deliveryCount,
					persistent, expiration, storeId));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void writeString(DataOutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static String readString(DataInputStream in) throws IOException {
		byte[] bytes = new byte[in.readInt()];
		in.readFully(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	record Decoded(String queue, BrokerMessage message) {
	}

}
