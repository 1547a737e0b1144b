package io.github.stompspringboot.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** A socket and a daemon thread reading it. */
final class TcpTransport implements Transport {

	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	private final Socket socket;

	private final OutputStream out;

	private TcpTransport(Socket socket) throws IOException {
		this.socket = socket;
		this.out = socket.getOutputStream();
	}

	static Factory factory(String host, int port) {
		return (received, closed) -> {
			Socket socket = new Socket();
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			TcpTransport transport = new TcpTransport(socket);
			Thread reader = new Thread(() -> read(socket, received, closed), "stomp-test-client-" + port);
			reader.setDaemon(true);
			reader.start();
			return transport;
		};
	}

	private static void read(Socket socket, Consumer<ByteBuffer> received, Runnable closed) {
		byte[] buffer = new byte[64 * 1024];
		try (InputStream in = socket.getInputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				received.accept(ByteBuffer.wrap(buffer, 0, read));
			}
		}
		catch (IOException ex) {
			// closed by either side: reported below
		}
		finally {
			closed.run();
		}
	}

	@Override
	public synchronized void send(byte[] frame) throws IOException {
		this.out.write(frame);
		this.out.flush();
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// nothing left to release
		}
	}

}
