package io.github.stompspringboot.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.JournalLoadInformation;
import org.apache.activemq.artemis.core.journal.LoaderCallback;
import org.apache.activemq.artemis.core.journal.PreparedTransactionInfo;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.stompspringboot.broker.BrokerMessage;
import io.github.stompspringboot.broker.MessageStore;
import io.github.stompspringboot.broker.MessageStoreUnavailableException;

/**
 * A {@link MessageStore} in ActiveMQ Artemis's append-only journal, used as a library:
 * fixed size files written front to back, a file whose records are all deleted goes back
 * to a pool for reuse, and files holding few live records are compacted, so the store
 * stays bounded while messages come and go. Each write of the {@link GroupCommitWriter}
 * is one journal transaction ended by one commit record (and one fsync when asked): a
 * batch is recovered whole or not at all.
 */
public final class JournalMessageStore implements MessageStore {

	private static final Log logger = LogFactory.getLog(JournalMessageStore.class);

	private static final byte MESSAGE = 1;

	private static final byte DELIVERY_COUNT = 2;

	private static final byte DURABLE_SUBSCRIPTION = 3;

	/** Journal files of this size are preallocated and reused. */
	static final int FILE_SIZE = 10 * 1024 * 1024;

	/**
	 * Files kept at the least, and kept for reuse once freed; more are deleted when
	 * freed.
	 */
	private static final int MIN_FILES = 2;

	private static final int POOL_FILES = 4;

	/**
	 * Compact once there are this many files and under {@value #COMPACT_PERCENTAGE}% of
	 * their bytes are live.
	 */
	private static final int COMPACT_MIN_FILES = 4;

	private static final int COMPACT_PERCENTAGE = 30;

	/**
	 * Records are gathered in a buffer of this size and written in one go; a batch's
	 * commit flushes it at once when full, else within
	 * {@link #WRITE_BUFFER_TIMEOUT_NANOS}. Measured against unbuffered writes (a system
	 * call per record): twice the rate with fsync.
	 */
	private static final int WRITE_BUFFER_SIZE = 1024 * 1024;

	/**
	 * How long a commit may wait for more records before the buffer is written (and
	 * synced).
	 */
	private static final int WRITE_BUFFER_TIMEOUT_NANOS = 100_000;

	private final DirectoryLock directoryLock;

	private final Path directory;

	private final NIOSequentialFileFactory files;

	private final JournalImpl journal;

	/** Ids of records and of batch transactions: one sequence, so they never clash. */
	private final AtomicLong sequence;

	/**
	 * Durable subscriptions by queue, with their record ids; used by the writer thread
	 * after recovery.
	 */
	private final Map<String, Long> subscriptionIds = new HashMap<>();

	/**
	 * Write errors the journal reported (disk full, file too large, I/O error). The
	 * journal does not always fail the write that hit one: without datasync a buffered
	 * write that fails still completes its commit. So a batch is taken as written only if
	 * no error was reported while it was.
	 */
	private final AtomicLong ioErrors = new AtomicLong();

	private volatile String lastIoError = "";

	/** What the journal held at startup, until {@link #recover} hands it on. */
	private Loader loaded;

	private final GroupCommitWriter writer;

	/**
	 * Recovered messages' bodies past the first bytes the constructor was given, kept on
	 * disk until the store closes; {@code null} when all fitted in the heap.
	 */
	private final @Nullable RecoveredBodies recoveredBodies;

	/**
	 * Bodies of recovered messages kept in the heap, in the order the journal is read;
	 * beyond this they are read from disk on delivery (see {@link RecoveredBodies}). A
	 * million 1 KiB messages recovered all in the heap took 1.9 GB of it; with their
	 * bodies on disk, 250 MB.
	 */
	public static final long DEFAULT_RECOVERED_IN_HEAP_BYTES = 32 * 1024 * 1024;

	/**
	 * Opens (or creates) the journal in the given directory.
	 * @param fsync whether each write is forced to the disk
	 */
	public JournalMessageStore(Path directory, boolean fsync) {
		this(directory, fsync, DEFAULT_RECOVERED_IN_HEAP_BYTES);
	}

	/**
	 * Opens (or creates) the journal in the given directory.
	 * @param fsync whether each write is forced to the disk
	 * @param recoveredInHeapBytes how many bytes of recovered messages (in the order the
	 * journal is read) keep their bodies in the heap; the bodies of the rest are read
	 * from disk when delivered
	 */
	public JournalMessageStore(Path directory, boolean fsync, long recoveredInHeapBytes) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new MessageStoreUnavailableException(directory, "it cannot be created (" + ex + ")", ex);
		}
		this.directoryLock = DirectoryLock.acquire(directory);
		this.directory = directory;
		try {
			this.files = new NIOSequentialFileFactory(directory.toFile(), true, WRITE_BUFFER_SIZE,
					WRITE_BUFFER_TIMEOUT_NANOS, 1, false);
			this.files.setDatasync(fsync);
			this.journal = new JournalImpl(FILE_SIZE, MIN_FILES, POOL_FILES, COMPACT_MIN_FILES, COMPACT_PERCENTAGE,
					this.files, "messages", "journal", 1);
			// After the journal is made: it sets a listener of its own on the files.
			this.journal.setCriticalErrorListener(this::ioFailed);
			this.files.start();
			this.journal.start();
			Loader loader = new Loader(directory, recoveredInHeapBytes);
			JournalLoadInformation information;
			try {
				information = this.journal.load(loader);
				if (loader.bodies != null) {
					loader.bodies.flush();
				}
			}
			catch (Exception ex) {
				if (loader.bodies != null) {
					loader.bodies.close();
				}
				throw ex;
			}
			this.recoveredBodies = loader.bodies;
			// Past every id the files still mention, deleted ones included: a new record
			// must never take the id of one whose delete record is still in a file.
			this.sequence = new AtomicLong(Math.max(information.getMaxID(), loader.highestId));
			this.loaded = loader;
		}
		catch (Exception ex) {
			this.directoryLock.release();
			throw new IllegalStateException("Cannot open the message journal in " + directory, ex);
		}
		this.writer = new GroupCommitWriter("stomp-journal-writer", this::write);
	}

	@Override
	public boolean isDurable() {
		return true;
	}

	/**
	 * The journal's directory and the bytes its files take, read when an operator asks.
	 */
	@Override
	public StoreStatus status() {
		long size = 0;
		try (java.util.stream.Stream<Path> files = Files.list(this.directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				size += Files.isRegularFile(file) ? Files.size(file) : 0;
			}
		}
		catch (IOException ex) {
			size = -1;
		}
		return new StoreStatus(this.directory.toAbsolutePath().toString(), size);
	}

	@Override
	public long add(String queue, BrokerMessage message) {
		long id = this.sequence.incrementAndGet();
		this.writer.submit(new GroupCommitWriter.Add(id, queue, message));
		return id;
	}

	@Override
	public long[] addAll(String queue, List<BrokerMessage> messages) {
		long[] storeIds = new long[messages.size()];
		List<GroupCommitWriter.Change> adds = new ArrayList<>(storeIds.length);
		for (int i = 0; i < storeIds.length; i++) {
			storeIds[i] = this.sequence.incrementAndGet();
			adds.add(new GroupCommitWriter.Add(storeIds[i], queue, messages.get(i)));
		}
		this.writer.submitAll(adds);
		return storeIds;
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
	public void saveDurableSubscription(DurableSubscriptionRecord record) {
		this.writer.submit(new GroupCommitWriter.SaveSubscription(record));
	}

	@Override
	public void removeDurableSubscription(String queue) {
		this.writer.submit(new GroupCommitWriter.RemoveSubscription(queue));
	}

	@Override
	public void recover(Recovery recovery) {
		Loader loader = this.loaded;
		this.loaded = null;
		if (loader == null) {
			return;
		}
		for (RecordInfo record : loader.subscriptions) {
			if (loader.deleted.contains(record.id)) {
				continue;
			}
			String[] parts = new String(record.data, StandardCharsets.UTF_8).split("\n", 3);
			DurableSubscriptionRecord subscription = new DurableSubscriptionRecord(parts[0], parts[1],
					(parts.length > 2 && !parts[2].isEmpty()) ? parts[2] : null);
			synchronized (this.subscriptionIds) {
				this.subscriptionIds.put(subscription.queue(), record.id);
			}
			recovery.durableSubscription(subscription);
		}
		Comparator<BrokerMessage> byStoreId = Comparator.comparingLong(BrokerMessage::storeId);
		for (Map.Entry<String, List<BrokerMessage>> queue : loader.messages.entrySet()) {
			List<BrokerMessage> messages = queue.getValue();
			// Ids grow in the order a queue stored its messages; compaction may have
			// moved records around.
			messages.sort(byStoreId);
			for (int i = 0; i < messages.size(); i++) {
				BrokerMessage message = messages.get(i);
				messages.set(i, null); // handed on: the queue holds it now
				long id = message.storeId();
				if (loader.deleted.contains(id)) {
					continue;
				}
				Integer deliveryCount = loader.deliveryCounts.get(id);
				if (deliveryCount != null) {
					message = message.withDeliveryCount(deliveryCount);
				}
				recovery.message(queue.getKey(), message);
			}
		}
	}

	/**
	 * What the journal holds, gathered as its files are read: messages are decoded at
	 * once, so each record's bytes are garbage as soon as it is read. A record deleted
	 * further on (its add and delete may sit in different files, in either order after a
	 * compaction) is left out at the end, as the journal's own list loading does.
	 */
	private static final class Loader implements LoaderCallback {

		private final Path directory;

		/** Header names and common values, shared by the messages that have them. */
		private final StoredMessageCodec.Sharing strings = new StoredMessageCodec.Sharing();

		private long inHeapBytes;

		@Nullable RecoveredBodies bodies;

		private final long inHeapBudget;

		Loader(Path directory, long inHeapBudget) {
			this.directory = directory;
			this.inHeapBudget = inHeapBudget;
		}

		/** Messages by queue: a queue's recovered order is its store ids' order. */
		final Map<String, List<BrokerMessage>> messages = new LinkedHashMap<>();

		final List<RecordInfo> subscriptions = new ArrayList<>();

		final Map<Long, Integer> deliveryCounts = new HashMap<>();

		final Set<Long> deleted = new HashSet<>();

		long highestId;

		@Override
		public void addRecord(RecordInfo info) {
			this.highestId = Math.max(this.highestId, info.id);
			if (info.userRecordType == MESSAGE) {
				try {
					StoredMessageCodec.Decoded decoded = StoredMessageCodec.decode(info.id, info.data, this.strings,
							bodiesFor(info.data));
					this.messages.computeIfAbsent(decoded.queue(), (queue) -> new ArrayList<>()).add(decoded.message());
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Cannot keep the body of recovered message " + info.id, ex);
				}
			}
			else if (info.userRecordType == DURABLE_SUBSCRIPTION) {
				this.subscriptions.add(info);
			}
		}

		/**
		 * Where a record's body goes: the heap while within the budget, else the disk.
		 */
		private @Nullable RecoveredBodies bodiesFor(byte[] record) throws IOException {
			if (this.inHeapBytes + record.length <= this.inHeapBudget) {
				this.inHeapBytes += record.length;
				return null;
			}
			if (this.bodies == null) {
				this.bodies = new RecoveredBodies(this.directory);
			}
			return this.bodies;
		}

		@Override
		public void updateRecord(RecordInfo info) {
			this.highestId = Math.max(this.highestId, info.id);
			if (info.userRecordType == DELIVERY_COUNT) {
				this.deliveryCounts.put(info.id, ByteBuffer.wrap(info.data).getInt());
			}
		}

		@Override
		public void deleteRecord(long id) {
			this.highestId = Math.max(this.highestId, id);
			this.deleted.add(id);
		}

		@Override
		public void failedTransaction(long transactionId, List<RecordInfo> records, List<RecordInfo> deletes) {
			// A batch cut short by a crash was never durable, so nobody was told it was:
			// it is left out.
		}

		@Override
		public void addPreparedTransaction(PreparedTransactionInfo transaction) {
			// The store never prepares (two-phase) transactions.
		}

	}

	@Override
	public @Nullable String writeFailure() {
		return this.writer.failure();
	}

	@Override
	public long changeMark() {
		return this.writer.changeMark();
	}

	@Override
	public long changeMarkOfThisThread() {
		return this.writer.changeMarkOfThisThread();
	}

	@Override
	public boolean isDurable(long mark) {
		return this.writer.isDurable(mark);
	}

	@Override
	public void whenDurable(long mark, Consumer<Exception> action) {
		this.writer.whenDurable(mark, action);
	}

	/**
	 * Journal files in use and kept for reuse: what the store holds on disk is about this
	 * many times the file size.
	 */
	public int fileCount() {
		return this.journal.getDataFilesCount() + this.journal.getFreeFilesCount() + 1;
	}

	@Override
	public void close() {
		this.writer.close();
		try {
			this.journal.stop();
			this.files.stop();
		}
		catch (Exception ex) {
			logger.warn("Closing the message journal failed", ex);
		}
		finally {
			closeRecoveredBodies();
			this.directoryLock.release();
		}
	}

	private void closeRecoveredBodies() {
		if (this.recoveredBodies != null) {
			try {
				this.recoveredBodies.close();
			}
			catch (IOException ex) {
				logger.warn("Closing the recovered message bodies' file failed", ex);
			}
		}
	}

	/** Writes one batch as one journal transaction: on the writer's thread only. */
	private void write(List<GroupCommitWriter.Change> changes) throws Exception {
		if (changes.isEmpty()) {
			return;
		}
		long errorsBefore = this.ioErrors.get();
		long transaction = this.sequence.incrementAndGet();
		for (GroupCommitWriter.Change change : changes) {
			if (change instanceof GroupCommitWriter.Add add) {
				this.journal.appendAddRecordTransactional(transaction, add.id(), MESSAGE,
						StoredMessageCodec.encode(add.queue(), add.message()));
			}
			else if (change instanceof GroupCommitWriter.Remove remove) {
				this.journal.appendDeleteRecordTransactional(transaction, remove.id());
			}
			else if (change instanceof GroupCommitWriter.UpdateDeliveryCount update) {
				this.journal.appendUpdateRecordTransactional(transaction, update.id(), DELIVERY_COUNT,
						ByteBuffer.allocate(4).putInt(update.deliveryCount()).array());
			}
			else if (change instanceof GroupCommitWriter.SaveSubscription save) {
				DurableSubscriptionRecord record = save.record();
				long id = this.sequence.incrementAndGet();
				Long previous;
				synchronized (this.subscriptionIds) {
					previous = this.subscriptionIds.put(record.queue(), id);
				}
				if (previous != null) {
					this.journal.appendDeleteRecordTransactional(transaction, previous);
				}
				String text = record.queue() + "\n" + record.topic() + "\n"
						+ ((record.selector() != null) ? record.selector() : "");
				this.journal.appendAddRecordTransactional(transaction, id, DURABLE_SUBSCRIPTION,
						text.getBytes(StandardCharsets.UTF_8));
			}
			else if (change instanceof GroupCommitWriter.RemoveSubscription removal) {
				Long previous;
				synchronized (this.subscriptionIds) {
					previous = this.subscriptionIds.remove(removal.queue());
				}
				if (previous != null) {
					this.journal.appendDeleteRecordTransactional(transaction, previous);
				}
			}
		}
		// Returns once the commit record is written (and forced to the disk with
		// datasync): the batch is durable.
		this.journal.appendCommitRecord(transaction, true);
		if (this.ioErrors.get() != errorsBefore) {
			throw new IOException("The message journal could not write (" + this.lastIoError + ")");
		}
	}

	/**
	 * The journal's report of a write error: the batch being written fails (its producers
	 * get an ERROR); the journal goes on with the next batch, which succeeds once the
	 * disk takes writes again (a failed stretch of a file is skipped when the journal is
	 * read).
	 */
	private void ioFailed(Throwable cause, String message, String file) {
		this.lastIoError = message + ((file != null) ? " on " + file : "");
		this.ioErrors.incrementAndGet();
	}

}
