package io.github.stompspringboot.test;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A frame a {@link StompTestClient} received: its command, its headers (the first value
 * of each) and its body. Made to be asserted on:
 * {@code assertThat(message.body()).isEqualTo("hi")},
 * {@code assertThat(message.headers()).containsEntry("content-type", "text/plain")}.
 */
public final class StompFrame {

	private final String command;

	private final Map<String, String> headers;

	private final byte[] payload;

	public StompFrame(String command, Map<String, String> headers, byte[] payload) {
		this.command = command;
		this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		this.payload = payload.clone();
	}

	/** {@code MESSAGE}, {@code RECEIPT}, {@code ERROR}, {@code CONNECTED}. */
	public String command() {
		return this.command;
	}

	public Map<String, String> headers() {
		return this.headers;
	}

	public @Nullable String header(String name) {
		return this.headers.get(name);
	}

	/** The body as UTF-8 text. */
	public String body() {
		return new String(this.payload, StandardCharsets.UTF_8);
	}

	public byte[] payload() {
		return this.payload.clone();
	}

	public @Nullable String destination() {
		return header("destination");
	}

	/** The {@code message} header of an ERROR frame: what went wrong, in a sentence. */
	public @Nullable String errorMessage() {
		return header("message");
	}

	@Override
	public String toString() {
		StringBuilder frame = new StringBuilder(this.command);
		this.headers.forEach((name, value) -> frame.append('\n').append(name).append(':').append(value));
		String body = body();
		frame.append("\n\n").append((body.length() > 500) ? body.substring(0, 500) + "..." : body);
		return frame.toString();
	}

}
