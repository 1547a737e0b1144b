package io.github.stompspringboot.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A STOMP client as plain as telnet: it writes exactly the bytes a test gives it and
 * reads frames back with a deadline, so tests see the broker's wire format and never
 * hang.
 */
public final class RawStompClient implements AutoCloseable {

	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private Frame connected;

	/**
	 * Frames read while waiting for a receipt, handed out first by {@link #receive()}.
	 */
	private final ArrayDeque<Frame> unread = new ArrayDeque<>();

	private int receiptSequence;

	/** Set when a read found the broker had closed the connection. */
	private boolean endOfStream;

	public RawStompClient(int port) throws IOException {
		this(port, 0);
	}

	/**
	 * @param receiveBufferSize the socket's receive buffer in bytes, set before
	 * connecting so the TCP window stays small (a client that stops reading then blocks
	 * the broker soon); 0 for the system default
	 */
	public RawStompClient(int port, int receiveBufferSize) throws IOException {
		this(openSocket(port, receiveBufferSize));
	}

	private static Socket openSocket(int port, int receiveBufferSize) throws IOException {
		Socket socket = new Socket();
		if (receiveBufferSize > 0) {
			socket.setReceiveBufferSize(receiveBufferSize);
		}
		socket.connect(new InetSocketAddress("127.0.0.1", port), (int) DEFAULT_TIMEOUT.toMillis());
		return socket;
	}

	/** Over a socket the test opened itself, such as a TLS one. */
	public RawStompClient(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setTcpNoDelay(true);
		// Buffered: byte-wise reads of megabytes would otherwise cost a system call each
		this.in = new BufferedInputStream(this.socket.getInputStream(), 64 * 1024);
		this.out = this.socket.getOutputStream();
	}

	/**
	 * Connects with the given STOMP version; {@link #connected()} tells what the broker
	 * answered.
	 */
	public static RawStompClient connect(int port, String version) throws IOException {
		return connect(port, version, "");
	}

	/**
	 * Connects with the given STOMP version and extra CONNECT header lines (each ending
	 * in LF, such as {@code "heart-beat:0,200\n"}).
	 */
	public static RawStompClient connect(int port, String version, String extraHeaders) throws IOException {
		return connect(port, version, extraHeaders, 0);
	}

	public static RawStompClient connect(int port, String version, String extraHeaders, int receiveBufferSize)
			throws IOException {
		RawStompClient client = new RawStompClient(port, receiveBufferSize);
		try {
			client.send("CONNECT\naccept-version:" + version + "\nhost:localhost\n" + extraHeaders + "\n\0");
			client.connected = client.expect("CONNECTED");
			return client;
		}
		catch (IOException | RuntimeException ex) {
			client.close();
			throw ex;
		}
	}

	/** The CONNECTED frame of {@link #connect}. */
	public Frame connected() {
		return this.connected;
	}

	/**
	 * Subscribes with a receipt and waits for it, so messages sent afterwards are sure to
	 * reach it. Messages arriving before the receipt (a queue's backlog) are kept for
	 * {@link #receive()}.
	 */
	public void subscribe(String id, String destination, String ack) throws IOException {
		send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + ((ack != null) ? "\nack:" + ack : "")
				+ "\nreceipt:sub-" + id + "\n\n\0");
		awaitReceipt("sub-" + id);
	}

	/** Sends a text message with a receipt and waits for the receipt. */
	public void sendWithReceipt(String destination, String body) throws IOException {
		String receipt = "send-" + (++this.receiptSequence);
		send("SEND\ndestination:" + destination + "\nreceipt:" + receipt + "\n\n" + body + "\0");
		awaitReceipt(receipt);
	}

	/**
	 * Reads up to the RECEIPT with this id; frames before it are kept for
	 * {@link #receive()}.
	 */
	public void awaitReceipt(String receiptId) throws IOException {
		List<Frame> before = new ArrayList<>();
		for (int i = 0; i < 100_000; i++) {
			Frame frame = readFrame(DEFAULT_TIMEOUT);
			if ("RECEIPT".equals(frame.command()) && receiptId.equals(frame.header("receipt-id"))) {
				this.unread.addAll(before);
				return;
			}
			if ("ERROR".equals(frame.command())) {
				throw new IllegalStateException("Expected RECEIPT " + receiptId + " but got " + frame);
			}
			before.add(frame);
		}
		throw new IllegalStateException("No RECEIPT " + receiptId + " among 100000 frames");
	}

	/** The next frame, which must have the given command. */
	public Frame expect(String command) throws IOException {
		Frame frame = receive();
		if (!command.equals(frame.command())) {
			throw new IllegalStateException("Expected " + command + " but got " + frame);
		}
		return frame;
	}

	public void send(String raw) throws IOException {
		send(raw.getBytes(StandardCharsets.UTF_8));
	}

	public void send(byte[] raw) throws IOException {
		this.out.write(raw);
		this.out.flush();
	}

	public Frame receive() throws IOException {
		return receive(DEFAULT_TIMEOUT);
	}

	/**
	 * The next frame, skipping heart-beat EOLs; fails if none arrives within the timeout.
	 */
	public Frame receive(Duration timeout) throws IOException {
		Frame kept = this.unread.poll();
		return (kept != null) ? kept : readFrame(timeout);
	}

	private Frame readFrame(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		String command = readLine(true);
		Map<String, String> headers = new LinkedHashMap<>();
		List<String> headerLines = new ArrayList<>();
		String line;
		while (!(line = readLine(false)).isEmpty()) {
			headerLines.add(line);
			int colon = line.indexOf(':');
			headers.putIfAbsent(line.substring(0, colon), line.substring(colon + 1));
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		String contentLength = headers.get("content-length");
		if (contentLength != null) {
			body.write(this.in.readNBytes(Integer.parseInt(contentLength)));
			expectNul();
		}
		else {
			int b;
			while ((b = read()) != 0) {
				body.write(b);
			}
			skipFrameTrailingEol();
		}
		return new Frame(command, headers, headerLines, body.toByteArray());
	}

	/**
	 * Whether the broker closed the connection: reads until end of stream, which must
	 * come within the timeout; frames still arriving before it are skipped.
	 */
	public boolean awaitClosed(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (System.nanoTime() < deadline) {
				if (this.in.read() < 0) {
					return true;
				}
			}
			return false;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true; // reset by the peer counts as closed
		}
	}

	/**
	 * Reads whatever arrives within the window: heart-beat EOLs and frames, as raw bytes.
	 */
	public byte[] readFor(Duration window) throws IOException {
		if (!this.unread.isEmpty()) {
			throw new IllegalStateException("Frames read while awaiting a receipt were not looked at: " + this.unread);
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		long deadline = System.nanoTime() + window.toNanos();
		while (true) {
			long left = (deadline - System.nanoTime()) / 1_000_000;
			if (left <= 0) {
				return bytes.toByteArray();
			}
			this.socket.setSoTimeout((int) left);
			try {
				int b = this.in.read();
				if (b < 0) {
					this.endOfStream = true;
					return bytes.toByteArray();
				}
				bytes.write(b);
			}
			catch (SocketTimeoutException ex) {
				return bytes.toByteArray();
			}
			catch (IOException ex) {
				this.endOfStream = true; // reset by the peer
				return bytes.toByteArray();
			}
		}
	}

	private String readLine(boolean skipLeadingEols) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		while (true) {
			int b = read();
			if (b == '\n') {
				if (skipLeadingEols && line.size() == 0) {
					continue;
				}
				break;
			}
			line.write(b);
		}
		String text = line.toString(StandardCharsets.UTF_8);
		return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
	}

	/**
	 * The broker ends every frame with NUL and one EOL, written together: take that EOL
	 * with its frame so {@link #readFor} sees only what came after it (heart-beats, next
	 * frames).
	 */
	private void skipFrameTrailingEol() throws IOException {
		if (this.in.available() > 0) {
			this.in.mark(1);
			if (this.in.read() != '\n') {
				this.in.reset();
			}
		}
	}

	private void expectNul() throws IOException {
		int b = read();
		if (b != 0) {
			throw new IllegalStateException("Frame not terminated by NUL but by " + b);
		}
		skipFrameTrailingEol();
	}

	private int read() throws IOException {
		int b = this.in.read();
		if (b < 0) {
			throw new IOException("Connection closed by the broker");
		}
		return b;
	}

	/**
	 * Whether the connection is still open: nothing but heart-beats for a moment, then no
	 * end of stream.
	 */
	public boolean isOpen(Duration window) throws IOException {
		byte[] bytes = readFor(window);
		for (byte b : bytes) {
			if (b != '\n' && b != '\r') {
				throw new IllegalStateException(
						"Expected silence but got " + new String(bytes, StandardCharsets.UTF_8));
			}
		}
		return !this.endOfStream;
	}

	/**
	 * Drops the connection with a TCP reset, as a crashed client or a pulled cable would.
	 */
	public void closeAbruptly() throws IOException {
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** A frame as it came off the wire; header values are left escaped. */
	public record Frame(String command, Map<String, String> headers, List<String> headerLines, byte[] body) {

		public String header(String name) {
			return this.headers.get(name);
		}

		public String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return this.command + " " + this.headers + " " + bodyText();
		}

	}

}
