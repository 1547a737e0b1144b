package io.github.stompspringboot.demo.chat.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A STOMP client as plain as telnet: it writes exactly the bytes a test gives it and reads
 * frames back with a deadline, so tests see the broker's wire format and never hang.
 */
public final class RawStompClient implements AutoCloseable {

	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	public RawStompClient(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setTcpNoDelay(true);
		this.in = this.socket.getInputStream();
		this.out = this.socket.getOutputStream();
	}

	/** Connects with the given STOMP version and returns the CONNECTED frame. */
	public static RawStompClient connect(int port, String version) throws IOException {
		RawStompClient client = new RawStompClient(port);
		client.send("CONNECT\naccept-version:" + version + "\nhost:localhost\n\n\0");
		Frame connected = client.receive();
		if (!"CONNECTED".equals(connected.command())) {
			throw new IllegalStateException("Expected CONNECTED but got " + connected);
		}
		return client;
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

	/** The next frame, skipping heart-beat EOLs; fails if none arrives within the timeout. */
	public Frame receive(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		String command = readLine(true);
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while (!(line = readLine(false)).isEmpty()) {
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
		}
		return new Frame(command, headers, body.toByteArray());
	}

	/**
	 * Whether the broker closed the connection: reads until end of stream, which must come
	 * within the timeout; frames still arriving before it are skipped.
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

	/** Reads whatever arrives within the window: heart-beat EOLs and frames, as raw bytes. */
	public byte[] readFor(Duration window) throws IOException {
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
					return bytes.toByteArray();
				}
				bytes.write(b);
			}
			catch (SocketTimeoutException ex) {
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

	private void expectNul() throws IOException {
		int b = read();
		if (b != 0) {
			throw new IllegalStateException("Frame not terminated by NUL but by " + b);
		}
	}

	private int read() throws IOException {
		int b = this.in.read();
		if (b < 0) {
			throw new IOException("Connection closed by the broker");
		}
		return b;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** A frame as it came off the wire; header values are left escaped. */
	public record Frame(String command, Map<String, String> headers, byte[] body) {

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
