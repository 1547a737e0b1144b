package io.github.stompspringboot.broker.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.github.stompspringboot.broker.MessageStoreUnavailableException;

/**
 * An exclusive lock on a store directory (a {@code store.lock} file in it), held while a
 * store is open: two brokers writing one journal would destroy it.
 */
final class DirectoryLock {

	static final String FILE_NAME = "store.lock";

	private final FileChannel channel;

	private final FileLock lock;

	private DirectoryLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Takes the lock, or fails with a {@link MessageStoreUnavailableException} if the
	 * directory cannot be written or another process (or store) holds it.
	 */
	static DirectoryLock acquire(Path directory) {
		FileChannel channel;
		try {
			channel = FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
		}
		catch (IOException ex) {
			throw new MessageStoreUnavailableException(directory, "it is not writable (" + ex + ")", ex);
		}
		FileLock lock;
		try {
			lock = channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			lock = null;
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new MessageStoreUnavailableException(directory, "it cannot be locked (" + ex + ")", ex);
		}
		if (lock == null) {
			closeQuietly(channel);
			throw new MessageStoreUnavailableException(directory, "another broker (process or store) has it open",
					null);
		}
		return new DirectoryLock(channel, lock);
	}

	void release() {
		try {
			this.lock.release();
		}
		catch (IOException ex) {
			// closing the channel below lets it go anyway
		}
		closeQuietly(this.channel);
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// nothing more to release
		}
	}

}
