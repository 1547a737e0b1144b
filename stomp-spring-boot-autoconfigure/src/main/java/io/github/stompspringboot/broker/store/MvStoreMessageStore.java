package io.github.stompspringboot.broker.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.MessageStore;

/**
 * A {@link MessageStore} in one H2 MVStore file in a directory. MVStore writes append-only,
 * copy-on-write chunks, so a process killed mid-write reopens at its last complete commit.
 * <p>
 * Every change is committed (written to the operating system) before the method returns;
 * with {@code fsync} it is also forced to the disk, which survives a power cut, not just a
 * killed process. Writers that arrive while a commit is under way share the next one (group
 * commit), so many producers cost far fewer commits than messages.
 */
public final class MvStoreMessageStore implements MessageStore {

	private static final String FILE_NAME = "messages.mv.db";

	private final MVStore store;

	/** Key: store id, in add order. Value: queue name and message, see {@link #encode}. */
	private final MVMap<Long, byte[]> messages;

	/** Key: durable subscription queue. Value: topic and selector. */
	private final MVMap<String, String> durableSubscriptions;

	private final boolean fsync;

	private final AtomicLong sequence;

	/** Changes made to the maps, counted after each is made. */
	private final AtomicLong changes = new AtomicLong();

	private final Object commitLock = new Object();

	/** Guarded by {@link #commitLock}: changes up to this count are committed. */
	private long committedChanges;

	private final Path file;

	/**
	 * Opens (or creates) the store in the given directory.
	 * @param fsync whether each commit is forced to the disk
	 */
	public MvStoreMessageStore(Path directory, boolean fsync) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the message store directory " + directory, ex);
		}
		this.file = directory.resolve(FILE_NAME);
		this.store = new MVStore.Builder().fileName(this.file.toString()).open();
		this.messages = this.store.openMap("messages");
		this.durableSubscriptions = this.store.openMap("durableSubscriptions");
		Long last = this.messages.lastKey();
		this.sequence = new AtomicLong((last != null) ? last : 0);
		this.fsync = fsync;
	}

	@Override
	public boolean isDurable() {
		return true;
	}

	@Override
	public StoreStatus status() {
		long size;
		try {
			size = Files.size(this.file);
		}
		catch (IOException ex) {
			size = -1;
		}
		return new StoreStatus(this.file.toAbsolutePath().toString(), size);
	}

	@Override
	public long add(String queue, BrokerMessage message) {
		long id = this.sequence.incrementAndGet();
		this.messages.put(id, encode(queue, message));
		commit();
		return id;
	}

	@Override
	public void remove(long storeId) {
		if (this.messages.remove(storeId) != null) {
			commit();
		}
	}

	@Override
	public void updateDeliveryCount(long storeId, int deliveryCount) {
		byte[] stored = this.messages.get(storeId);
		if (stored != null) {
			Decoded decoded = decode(storeId, stored);
			BrokerMessage m = decoded.message();
			this.messages.put(storeId, encode(decoded.queue(), new BrokerMessage(m.messageId(), m.destination(),
					m.headers(), m.body(), deliveryCount, m.isPersistent(), m.expiration(), storeId)));
			commit();
		}
	}

	@Override
	public void recover(Recovery recovery) {
		for (Map.Entry<String, String> entry : this.durableSubscriptions.entrySet()) {
			String[] parts = entry.getValue().split("\n", 2);
			recovery.durableSubscription(new DurableSubscriptionRecord(entry.getKey(), parts[0],
					(parts.length > 1 && !parts[1].isEmpty()) ? parts[1] : null));
		}
		for (Map.Entry<Long, byte[]> entry : this.messages.entrySet()) {
			Decoded decoded = decode(entry.getKey(), entry.getValue());
			recovery.message(decoded.queue(), decoded.message());
		}
	}

	@Override
	public void saveDurableSubscription(DurableSubscriptionRecord record) {
		this.durableSubscriptions.put(record.queue(),
				record.topic() + "\n" + ((record.selector() != null) ? record.selector() : ""));
		commit();
	}

	@Override
	public void removeDurableSubscription(String queue) {
		this.durableSubscriptions.remove(queue);
		commit();
	}

	/** Messages currently stored, for tests and metrics. */
	public long size() {
		return this.messages.sizeAsLong();
	}

	@Override
	public void close() {
		synchronized (this.commitLock) {
			if (!this.store.isClosed()) {
				this.store.close();
			}
		}
	}

	/**
	 * Makes this thread's change durable. A thread that finds its change already covered by
	 * a commit another thread made while it waited returns at once.
	 */
	private void commit() {
		long mine = this.changes.incrementAndGet();
		synchronized (this.commitLock) {
			if (this.committedChanges >= mine) {
				return;
			}
			long upTo = this.changes.get();
			this.store.commit();
			if (this.fsync) {
				this.store.sync();
			}
			this.committedChanges = upTo;
		}
	}

	private static byte[] encode(String queue, BrokerMessage message) {
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

	private static Decoded decode(long storeId, byte[] stored) {
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

	private record Decoded(String queue, BrokerMessage message) {
	}

}
