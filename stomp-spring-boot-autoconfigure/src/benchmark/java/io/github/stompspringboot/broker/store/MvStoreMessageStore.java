package io.github.stompspringboot.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.MessageStore;

/**
 * The candidate store measured against {@link JournalMessageStore} and not chosen: in the
 * benchmark sources only (see docs/ARCHITECTURE.md), so that the comparison can be run
 * again.
 * <p>
 * A {@link MessageStore} in one H2 MVStore file in a directory. MVStore writes
 * append-only, copy-on-write chunks, so a process killed mid-write reopens at its last
 * complete commit.
 * <p>
 * Changes are applied and committed by a {@link GroupCommitWriter}: all those handed over
 * while a commit is under way share the next one (written to the operating system, and
 * with {@code fsync} forced to the disk, which survives a power cut, not just a killed
 * process).
 */
public final class MvStoreMessageStore implements MessageStore {

	private static final String FILE_NAME = "messages.mv.db";

	private final MVStore store;

	/**
	 * Key: store id, in add order. Value: queue name and message, see
	 * {@link StoredMessageCodec}.
	 */
	private final MVMap<Long, byte[]> messages;

	/** Key: durable subscription queue. Value: topic and selector. */
	private final MVMap<String, String> durableSubscriptions;

	private final boolean fsync;

	private final AtomicLong sequence;

	private final GroupCommitWriter writer;

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
		this.store = new MVStore.Builder().fileName(directory.resolve(FILE_NAME).toString()).open();
		this.messages = this.store.openMap("messages");
		this.durableSubscriptions = this.store.openMap("durableSubscriptions");
		Long last = this.messages.lastKey();
		this.sequence = new AtomicLong((last != null) ? last : 0);
		this.fsync = fsync;
		this.writer = new GroupCommitWriter("stomp-store-writer", this::write);
	}

	@Override
	public boolean isDurable() {
		return true;
	}

	@Override
	public long add(String queue, BrokerMessage message) {
		long id = this.sequence.incrementAndGet();
		this.writer.submit(new GroupCommitWriter.Add(id, queue, message));
		return id;
	}

	@Override
	public void remove(long storeId) {
		this.writer.submit(new GroupCommitWriter.Remove(storeId));
	}

	@Override
	public void updateDeliveryCount(long storeId, int deliveryCount) {
		this.writer.submit(new GroupCommitWriter.UpdateDeliveryCount(storeId, deliveryCount));
	}

	@Override
	public void recover(Recovery recovery) {
		for (Map.Entry<String, String> entry : this.durableSubscriptions.entrySet()) {
			String[] parts = entry.getValue().split("\n", 2);
			recovery.durableSubscription(new DurableSubscriptionRecord(entry.getKey(), parts[0],
					(parts.length > 1 && !parts[1].isEmpty()) ? parts[1] : null));
		}
		for (Map.Entry<Long, byte[]> entry : this.messages.entrySet()) {
			StoredMessageCodec.Decoded decoded = StoredMessageCodec.decode(entry.getKey(), entry.getValue());
			recovery.message(decoded.queue(), decoded.message());
		}
	}

	@Override
	public void saveDurableSubscription(DurableSubscriptionRecord record) {
		this.writer.submit(new GroupCommitWriter.SaveSubscription(record));
	}

	@Override
	public void removeDurableSubscription(String queue) {
		this.writer.submit(new GroupCommitWriter.RemoveSubscription(queue));
	}

	@Override
	public long changeMark() {
		return this.writer.changeMark();
	}

	@Override
	public boolean isDurable(long mark) {
		return this.writer.isDurable(mark);
	}

	@Override
	public void whenDurable(long mark, Consumer<Exception> action) {
		this.writer.whenDurable(mark, action);
	}

	/** Messages currently stored (written), for tests and metrics. */
	public long size() {
		return this.messages.sizeAsLong();
	}

	@Override
	public void close() {
		this.writer.close();
		if (!this.store.isClosed()) {
			this.store.close();
		}
	}

	/** Applies one batch and commits it: on the writer's thread only. */
	private void write(List<GroupCommitWriter.Change> changes) {
		for (GroupCommitWriter.Change change : changes) {
			if (change instanceof GroupCommitWriter.Add add) {
				this.messages.put(add.id(), StoredMessageCodec.encode(add.queue(), add.message()));
			}
			else if (change instanceof GroupCommitWriter.Remove remove) {
				this.messages.remove(remove.id());
			}
			else if (change instanceof GroupCommitWriter.UpdateDeliveryCount update) {
				byte[] stored = this.messages.get(update.id());
				if (stored != null) {
					StoredMessageCodec.Decoded decoded = StoredMessageCodec.decode(update.id(), stored);
					BrokerMessage m = decoded.message();
					this.messages.put(update.id(),
							StoredMessageCodec.encode(decoded.queue(),
									new BrokerMessage(m.messageId(), m.destination(), m.headers(), m.body(),
											update.deliveryCount(), m.isPersistent(), m.expiration(), update.id())));
				}
			}
			else if (change instanceof GroupCommitWriter.SaveSubscription save) {
				DurableSubscriptionRecord record = save.record();
				this.durableSubscriptions.put(record.queue(),
						record.topic() + "\n" + ((record.selector() != null) ? record.selector() : ""));
			}
			else if (change instanceof GroupCommitWriter.RemoveSubscription removal) {
				this.durableSubscriptions.remove(removal.queue());
			}
		}
		this.store.commit();
		if (this.fsync) {
			this.store.sync();
		}
	}

}
