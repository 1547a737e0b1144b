package io.github.stompspringboot.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.github.stompspringboot.broker.BrokerMessage;

/**
 * Bodies of messages recovered at startup, kept in a file beside the journal instead of
 * the heap and read back when each is delivered: a queue of a million waiting messages
 * then costs the heap their headers, not their gigabyte of bodies. The file is written
 * once, while the journal loads, and removed when the store closes (on Unix it has no
 * name from the start, so a crash leaves nothing behind).
 */
final class RecoveredBodies implements AutoCloseable {

	static final String FILE_NAME = "recovered-bodies.tmp";

	private final FileChannel channel;

	private final ByteBuffer buffer = ByteBuffer.allocate(1024 * 1024);

	/** Where the next body goes in the file. */
	private long end;

	RecoveredBodies(Path directory) throws IOException {
		Path file = directory.resolve(FILE_NAME);
		Files.deleteIfExists(file);
		this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
	}

	/** Keeps a body (from a record being loaded) and returns where to read it. */
	BrokerMessage.BodySource add(ByteBuffer source, int length) throws IOException {
		long position = this.end;
		int left = length;
		while (left > 0) {
			if (!this.buffer.hasRemaining()) {
				flush();
			}
			int chunk = Math.min(left, this.buffer.remaining());
			this.buffer.put(this.buffer.position(), source, source.position(), chunk);
			this.buffer.position(this.buffer.position() + chunk);
			source.position(source.position() + chunk);
			left -= chunk;
		}
		this.end += length;
		return new Body(this, position, length);
	}

	/** Writes what is buffered: the bodies can be read from now on. */
	void flush() throws IOException {
		this.buffer.flip();
		while (this.buffer.hasRemaining()) {
			this.channel.write(this.buffer);
		}
		this.buffer.clear();
	}

	/** Bytes kept. */
	long size() {
		return this.end;
	}

	private byte[] read(long position, int length) {
		byte[] body = new byte[length];
		ByteBuffer target = ByteBuffer.wrap(body);
		try {
			while (target.hasRemaining()) {
				if (this.channel.read(target, position + target.position()) < 0) {
					throw new IOException("Recovered message body cut short at " + position);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read a recovered message body", ex);
		}
		return body;
	}

	@Override
	public void close() throws IOException {
		this.channel.close();
	}

	private record Body(RecoveredBodies file, long position, int length) implements BrokerMessage.BodySource {

		@Override
		public byte[] read() {
			return this.file.read(this.position, this.length);
		}

	}

}
