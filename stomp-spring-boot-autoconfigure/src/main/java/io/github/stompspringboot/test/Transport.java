package io.github.stompspringboot.test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** How a {@link StompTestClient} moves frame bytes: a socket or a WebSocket. */
interface Transport {

	void send(byte[] frame) throws IOException;

	/** Closes; idempotent. */
	void close();

	interface Factory {

		/**
		 * @param received called with bytes as they arrive, from one thread at a time
		 * @param closed called once when the connection is gone
		 */
		Transport open(Consumer<ByteBuffer> received, Runnable closed) throws IOException;

	}

}
