package io.github.stompspringboot.benchmark;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A lean STOMP 1.2 load client over a blocking loopback socket: the same for every
 * broker. Writes go through a 64 KiB buffer (SENDs are pipelined, flushed when the buffer
 * fills or the caller waits); one reader thread parses frames from its own buffer and
 * hands each to a callback, reusing one {@link Frame} so reading allocates only the few
 * header strings.
 */
final class LoadClient implements AutoCloseable {

	private static final int BUFFER = 64 * 1024;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private final byte[] buf = new byte[BUFFER];

	private int pos;

	private int limit;

	private final Frame frame = new Frame();

	private Thread reader;

	private volatile boolean closing;

	LoadClient(int port) throws IOException {
		this.socket = new Socket();
		this.socket.setTcpNoDelay(true);
		this.socket.setReceiveBufferSize(BUFFER * 4);
		this.socket.setSendBufferSize(BUFFER * 4);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		// Only until the reader thread takes over: a broker that never answers fails the
		// run, it does not hang it.
		this.socket.setSoTimeout(10_000);
		this.in = this.socket.getInputStream();
		this.out = new BufferedOutputStream(this.socket.getOutputStream(), BUFFER);
		write("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
		flush();
		Frame connected = readFrame();
		if (!"CONNECTED".equals(connected.command)) {
			throw new IOException("Expected CONNECTED, got " + connected);
		}
	}

	/**
	 * SUBSCRIBE and wait for its RECEIPT, so nothing is sent before the subscription
	 * exists.
	 */
	void subscribe(String destination, String id, String ack) throws IOException {
		write("SUBSCRIBE\ndestination:" + destination + "\nid:" + id + "\nack:" + ack + "\nreceipt:sub-" + id
				+ "\n\n\0");
		flush();
		Frame receipt = readFrame();
		if (!"RECEIPT".equals(receipt.command)) {
			throw new IOException("Expected RECEIPT for SUBSCRIBE, got " + receipt);
		}
	}

	/**
	 * Hands every further frame to the handler on a reader thread, until
	 * {@link #close()}.
	 */
	void startReader(String name, Consumer<Frame> handler) throws SocketException {
		this.socket.setSoTimeout(0);
		this.reader = new Thread(() -> {
			try {
				while (!this.closing) {
					handler.accept(readFrame());
				}
			}
			catch (IOException ex) {
				if (!this.closing) {
					System.err.println(name + ": reader stopped: " + ex);
				}
			}
		}, name);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	void write(byte[] bytes) throws IOException {
		this.out.write(bytes);
	}

	void write(String text) throws IOException {
		this.out.write(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Writes an ACK for a 1.2 MESSAGE; called on the reader thread, flushed when the
	 * reader runs dry.
	 */
	void ack(Frame message) throws IOException {
		String id = (message.ack != null) ? message.ack : message.messageId;
		write("ACK\nid:" + id + "\n\n\0");
	}

	void flush() throws IOException {
		this.out.flush();
	}

	@Override
	public void close() {
		this.closing = true;
		try {
			// a polite goodbye, so no broker logs a connection failure
			write("DISCONNECT\n\n\0");
			flush();
		}
		catch (IOException ex) {
			// the connection is gone already
		}
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		if (this.reader != null) {
			try {
				this.reader.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private Frame readFrame() throws IOException {
		Frame f = this.frame;
		f.clear();
		String command;
		do {
			command = readLine(); // empty lines between frames are heart-beats
		}
		while (command.isEmpty());
		f.command = command;
		int contentLength = -1;
		for (int i = 0; i < 200; i++) {
			String line = readLine();
			if (line.isEmpty()) {
				break;
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = line.substring(0, colon);
			String value = line.substring(colon + 1);
			switch (name) {
				case "ack" -> f.ack = value;
				case "message-id" -> f.messageId = value;
				case "subscription" -> f.subscription = value;
				case "receipt-id" -> f.receiptId = value;
				case "message" -> f.message = value;
				case "content-length" -> contentLength = Integer.parseInt(value);
				default -> {
				}
			}
		}
		if (contentLength >= 0) {
			f.ensureBody(contentLength);
			readFully(f.body, contentLength);
			f.bodyLength = contentLength;
			if (readByte() != 0) {
				throw new IOException("Frame body not followed by NUL");
			}
		}
		else {
			int b;
			while ((b = readByte()) != 0) {
				f.ensureBody(f.bodyLength + 1);
				f.body[f.bodyLength++] = (byte) b;
			}
		}
		return f;
	}

	private String readLine() throws IOException {
		int start = this.pos;
		for (int i = start; i < this.limit; i++) {
			if (this.buf[i] == '\n') {
				this.pos = i + 1;
				int end = (i > start && this.buf[i - 1] == '\r') ? i - 1 : i;
				return new String(this.buf, start, end - start, StandardCharsets.UTF_8);
			}
		}
		// The line spans a buffer refill: the slow path, rare with 64 KiB reads.
		StringBuilder line = new StringBuilder();
		for (int n = 0; n < BUFFER; n++) {
			int b = readByte();
			if (b == '\n') {
				int length = line.length();
				if (length > 0 && line.charAt(length - 1) == '\r') {
					line.setLength(length - 1);
				}
				return line.toString();
			}
			line.append((char) b);
		}
		throw new IOException("Line longer than " + BUFFER + " bytes");
	}

	private int readByte() throws IOException {
		if (this.pos == this.limit) {
			fill();
		}
		return this.buf[this.pos++] & 0xff;
	}

	private void readFully(byte[] target, int length) throws IOException {
		int copied = 0;
		while (copied < length) {
			if (this.pos == this.limit) {
				fill();
			}
			int n = Math.min(length - copied, this.limit - this.pos);
			System.arraycopy(this.buf, this.pos, target, copied, n);
			this.pos += n;
			copied += n;
		}
	}

	private void fill() throws IOException {
		// About to block on the socket: whatever ACKs the reader wrote go out first.
		this.out.flush();
		int n = this.in.read(this.buf, 0, BUFFER);
		if (n < 0) {
			throw new EOFException("Connection closed by the broker");
		}
		this.pos = 0;
		this.limit = n;
	}

	/**
	 * One received frame; only the headers the benchmark needs are kept. Reused: copy
	 * what you keep.
	 */
	static final class Frame {

		String command;

		String ack;

		String messageId;

		String subscription;

		String receiptId;

		String message;

		byte[] body = new byte[256];

		int bodyLength;

		void clear() {
			this.command = null;
			this.ack = null;
			this.messageId = null;
			this.subscription = null;
			this.receiptId = null;
			this.message = null;
			this.bodyLength = 0;
		}

		void ensureBody(int size) {
			if (this.body.length < size) {
				byte[] bigger = new byte[Math.max(size, this.body.length * 2)];
				System.arraycopy(this.body, 0, bigger, 0, this.bodyLength);
				this.body = bigger;
			}
		}

		/** The decimal number the body starts with (the benchmark's send timestamp). */
		long leadingNumber() {
			long value = 0;
			for (int i = 0; i < this.bodyLength; i++) {
				byte b = this.body[i];
				if (b < '0' || b > '9') {
					break;
				}
				value = value * 10 + (b - '0');
			}
			return value;
		}

		@Override
		public String toString() {
			return this.command + ((this.message != null) ? " (message: " + this.message + ")" : "") + " "
					+ new String(this.body, 0, Math.min(this.bodyLength, 200), StandardCharsets.UTF_8);
		}

	}

}
