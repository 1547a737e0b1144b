package io.github.stompspringboot.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.stompspringboot.broker.StompVersion;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Turns bytes into STOMP frames ({@code Message<byte[]>} with a
 * {@link StompHeaderAccessor}, the engine's one frame model), a line at a time so a frame
 * may arrive a byte at a time or many frames in one read.
 * <p>
 * Why not Spring's {@code StompDecoder}: it unescapes headers the 1.2 way for every
 * version (a 1.0 client's backslash is an error there), and it can only check a limit
 * once a whole frame is buffered. This decoder unescapes per negotiated version and
 * rejects an over-long line, too many headers or an over-size body as soon as the bytes
 * show it, so nothing is buffered past a limit. Errors come out as a
 * {@link StompDecodingError} value, not thrown.
 */
final class StompFrameDecoder extends ByteToMessageDecoder {

	private static final Log logger = LogFactory.getLog(StompFrameDecoder.class);

	private enum State {

		COMMAND, HEADERS, BODY, FAILED

	}

	private static final int SEND = ('S' << 24) | ('E' << 16) | ('N' << 8) | 'D';

	private static final int ACK = ('A' << 16) | ('C' << 8) | 'K';

	private static final int NACK = ('N' << 24) | ('A' << 16) | ('C' << 8) | 'K';

	/**
	 * Header names most frames carry: decoded to these constants, not a new string each.
	 */
	private static final String[] KNOWN_HEADERS = { "destination", "content-length", "content-type", "receipt", "id",
			"ack", "subscription", "message-id", "transaction", "persistent", "expires", "priority", "reply-to" };

	private static final byte[][] KNOWN_HEADER_BYTES = new byte[KNOWN_HEADERS.length][];

	static {
		for (int i = 0; i < KNOWN_HEADERS.length; i++) {
			KNOWN_HEADER_BYTES[i] = KNOWN_HEADERS[i].getBytes(StandardCharsets.US_ASCII);
		}
	}

	private final int maxHeaderLength;

	private final int maxHeaders;

	private final int maxBodySize;

	/** Set once CONNECT is handled; frames before that are unescaped as 1.2 would. */
	private volatile StompVersion version = StompVersion.V1_2;

	private State state = State.COMMAND;

	private StompCommand command;

	private MultiValueMap<String, String> headers;

	private int headerCount;

	private int contentLength;

	/**
	 * How far the current line or body has been searched already, so no byte is scanned
	 * twice.
	 */
	private int scanned;

	/** Where the line {@link #lineLength} last found ends (its LF). */
	private int lineEnd;

	StompFrameDecoder(int maxHeaderLength, int maxHeaders, int maxBodySize) {
		this.maxHeaderLength = maxHeaderLength;
		this.maxHeaders = maxHeaders;
		this.maxBodySize = maxBodySize;
	}

	void setVersion(StompVersion version) {
		this.version = version;
	}

	/** Whether part of a frame has arrived and the rest has not. Event loop only. */
	boolean isMidFrame() {
		return this.state == State.HEADERS || this.state == State.BODY
				|| (this.state == State.COMMAND && actualReadableBytes() > 0);
	}

	/**
	 * Bytes received but not yet made into a frame: what a slow or hostile client makes
	 * us hold.
	 */
	int bufferedBytes() {
		return actualReadableBytes();
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		try {
			decodeFrames(in, out);
		}
		catch (StompDecodingError error) {
			this.state = State.FAILED;
			in.skipBytes(in.readableBytes());
			out.add(error);
		}
		catch (RuntimeException ex) {
			// A safety net: whatever the bytes, the client gets an ERROR frame, not a
			// silent close.
			if (logger.isDebugEnabled()) {
				logger.debug("Unexpected failure decoding a frame", ex);
			}
			this.state = State.FAILED;
			in.skipBytes(in.readableBytes());
			out.add(new StompDecodingError("Malformed frame", "The broker could not read the frame."));
		}
	}

	private void decodeFrames(ByteBuf in, List<Object> out) {
		while (in.isReadable()) {
			switch (this.state) {
				case COMMAND -> {
					skipEndOfLines(in);
					int length = lineLength(in);
					if (length < 0) {
						return;
					}
					this.command = parseCommand(in, length);
					this.headers = new LinkedMultiValueMap<>();
					this.headerCount = 0;
					this.contentLength = -1;
					this.state = State.HEADERS;
				}
				case HEADERS -> {
					int length = lineLength(in);
					if (length < 0) {
						return;
					}
					if (length == 0) {
						skipLine(in);
						this.state = State.BODY;
					}
					else {
						addHeader(in, length);
					}
				}
				case BODY -> {
					byte[] body = readBody(in);
					if (body == null) {
						return;
					}
					out.add(frame(body));
					this.state = State.COMMAND;
					this.headers = null;
					// One frame per call: ByteToMessageDecoder hands it on before
					// decoding the next, so a CONNECT is handled (and the version set)
					// before the frames behind it are read.
					return;
				}
				case FAILED -> {
					in.skipBytes(in.readableBytes());
					return;
				}
			}
		}
	}

	/**
	 * EOLs between frames are heart-beats; they carry nothing. Skipping them moves the
	 * line's start, so what was scanned of it (a lone CR that turned out to start a CRLF)
	 * is forgotten.
	 */
	private void skipEndOfLines(ByteBuf in) {
		while (in.isReadable()) {
			byte next = in.getByte(in.readerIndex());
			if (next == '\n') {
				in.skipBytes(1);
				this.scanned = 0;
			}
			else if (next == '\r' && in.readableBytes() >= 2 && in.getByte(in.readerIndex() + 1) == '\n') {
				in.skipBytes(2);
				this.scanned = 0;
			}
			else {
				return;
			}
		}
	}

	/**
	 * The length of the next line without its EOL (LF or CRLF), or {@code -1} until the
	 * whole line is here. The line starts at the reader index; {@link #skipLine} moves
	 * past it and its EOL. No string is made of it: the caller decodes only the parts it
	 * keeps.
	 */
	private int lineLength(ByteBuf in) {
		int start = in.readerIndex();
		int end = in.forEachByte(start + this.scanned, in.readableBytes() - this.scanned, ByteProcessor.FIND_LF);
		if (end < 0) {
			this.scanned = in.readableBytes();
			if (this.scanned > this.maxHeaderLength) {
				throw new StompDecodingError("Header line too long",
						"A command or header line may be at most " + this.maxHeaderLength + " bytes.");
			}
			return -1;
		}
		this.scanned = 0;
		int length = end - start;
		if (length > this.maxHeaderLength) {
			throw new StompDecodingError("Header line too long",
					"A command or header line may be at most " + this.maxHeaderLength + " bytes.");
		}
		this.lineEnd = end;
		if (length > 0 && in.getByte(end - 1) == '\r') {
			length--;
		}
		return length;
	}

	/** Moves past the line {@link #lineLength} measured, EOL included. */
	private void skipLine(ByteBuf in) {
		in.readerIndex(this.lineEnd + 1);
	}

	private StompCommand parseCommand(ByteBuf in, int length) {
		int start = in.readerIndex();
		StompCommand command = frequentCommand(in, start, length);
		if (command == null) {
			command = parseCommand(in.toString(start, length, StandardCharsets.UTF_8));
		}
		skipLine(in);
		return command;
	}

	/**
	 * SEND, ACK and NACK, the commands of the hot path, told from their bytes without a
	 * string or a lookup; {@code null} for any other line.
	 */
	private static StompCommand frequentCommand(ByteBuf in, int start, int length) {
		if (length == 4 && in.getInt(start) == SEND) {
			return StompCommand.SEND;
		}
		if (length == 3 && in.getMedium(start) == ACK) {
			return StompCommand.ACK;
		}
		if (length == 4 && in.getInt(start) == NACK) {
			return StompCommand.NACK;
		}
		return null;
	}

	private static StompCommand parseCommand(String line) {
		try {
			return StompCommand.valueOf(line);
		}
		catch (IllegalArgumentException ex) {
			String shown = (line.length() > 40) ? line.substring(0, 40) + "..." : line;
			throw new StompDecodingError("Unknown command '" + shown + "'",
					"A frame starts with a STOMP command such as CONNECT, SEND or SUBSCRIBE.");
		}
	}

	private void addHeader(ByteBuf in, int length) {
		int start = in.readerIndex();
		int colon = in.indexOf(start, start + length, (byte) ':');
		if (colon <= start) {
			String line = in.toString(start, length, StandardCharsets.UTF_8);
			String shown = (line.length() > 40) ? line.substring(0, 40) + "..." : line;
			throw new StompDecodingError("Malformed header line '" + shown + "'",
					"A header is name:value on its own line, and an empty line ends the headers.");
		}
		if (++this.headerCount > this.maxHeaders) {
			throw new StompDecodingError("Too many headers",
					"A frame may carry at most " + this.maxHeaders + " headers.");
		}
		boolean escaped = this.command != StompCommand.CONNECT && this.command != StompCommand.STOMP
				&& this.version.escapesHeaders();
		String name = headerName(in, start, colon - start);
		if (escaped) {
			name = unescape(name);
		}
		String value = in.toString(colon + 1, start + length - colon - 1, StandardCharsets.UTF_8);
		if (escaped) {
			value = unescape(value);
		}
		skipLine(in);
		// When a header repeats, the first value is the one that counts.
		if (this.headers.containsKey(name)) {
			return;
		}
		this.headers.add(name, value);
		if ("content-length".equals(name)) {
			this.contentLength = parseContentLength(value);
		}
	}

	/**
	 * A header's name: the shared constant for the names every frame carries, so they
	 * cost no string per frame; decoded for any other.
	 */
	private static String headerName(ByteBuf in, int start, int length) {
		for (int i = 0; i < KNOWN_HEADER_BYTES.length; i++) {
			if (KNOWN_HEADER_BYTES[i].length == length && sameBytes(in, start, KNOWN_HEADER_BYTES[i])) {
				return KNOWN_HEADERS[i];
			}
		}
		return in.toString(start, length, StandardCharsets.UTF_8);
	}

	private static boolean sameBytes(ByteBuf in, int start, byte[] known) {
		for (int i = 0; i < known.length; i++) {
			if (in.getByte(start + i) != known[i]) {
				return false;
			}
		}
		return true;
	}

	private int parseContentLength(String value) {
		long length;
		try {
			length = Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new StompDecodingError("Invalid content-length '" + value + "'",
					"content-length is the body's size in bytes, a non-negative integer.");
		}
		if (length < 0) {
			throw new StompDecodingError("Invalid content-length '" + value + "'",
					"content-length is the body's size in bytes, a non-negative integer.");
		}
		if (length > this.maxBodySize) {
			throw new StompDecodingError("Frame too large", "content-length is " + length
					+ "; the broker accepts bodies of at most " + this.maxBodySize + " bytes.");
		}
		return (int) length;
	}

	private String unescape(String text) {
		if (text.indexOf('\\') < 0) {
			return text;
		}
		StringBuilder result = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != '\\') {
				result.append(c);
				continue;
			}
			char next = (i + 1 < text.length()) ? text.charAt(++i) : 0;
			switch (next) {
				case 'n' -> result.append('\n');
				case 'c' -> result.append(':');
				case '\\' -> result.append('\\');
				case 'r' -> {
					if (!this.version.escapesCarriageReturn()) {
						throw undefinedEscape(next);
					}
					result.append('\r');
				}
				default -> throw undefinedEscape(next);
			}
		}
		return result.toString();
	}

	private StompDecodingError undefinedEscape(char next) {
		return new StompDecodingError("Undefined escape sequence '\\" + ((next == 0) ? "" : next) + "'",
				"STOMP " + this.version.text() + " header values escape only \\n, \\c, \\\\"
						+ (this.version.escapesCarriageReturn() ? " and \\r" : "") + ".");
	}

	/** The body up to its NUL, or {@code null} until all of it is here. */
	private byte[] readBody(ByteBuf in) {
		int start = in.readerIndex();
		int length;
		if (this.contentLength >= 0) {
			if (in.readableBytes() < this.contentLength + 1) {
				return null;
			}
			if (in.getByte(start + this.contentLength) != 0) {
				throw new StompDecodingError("Frame body longer than content-length",
						"The byte after content-length bytes of body must be the NUL that ends the frame.");
			}
			length = this.contentLength;
		}
		else {
			int nul = in.forEachByte(start + this.scanned, in.readableBytes() - this.scanned, ByteProcessor.FIND_NUL);
			if (nul < 0) {
				this.scanned = in.readableBytes();
				if (this.scanned > this.maxBodySize) {
					throw new StompDecodingError("Frame too large",
							"The broker accepts bodies of at most " + this.maxBodySize + " bytes.");
				}
				return null;
			}
			this.scanned = 0;
			length = nul - start;
			if (length > this.maxBodySize) {
				throw new StompDecodingError("Frame too large",
						"The broker accepts bodies of at most " + this.maxBodySize + " bytes.");
			}
		}
		byte[] body = new byte[length];
		in.readBytes(body);
		in.skipBytes(1);
		return body;
	}

	private Object frame(byte[] body) {
		StompHeaderAccessor accessor;
		try {
			accessor = StompHeaderAccessor.create(this.command, this.headers);
		}
		catch (RuntimeException ex) {
			// Spring parses content-type here, and some malformed ones throw more than
			// InvalidMimeTypeException
			String contentType = String.valueOf(this.headers.getFirst("content-type"));
			String shown = (contentType.length() > 40) ? contentType.substring(0, 40) + "..." : contentType;
			throw new StompDecodingError("Invalid content-type '" + shown + "'",
					"content-type is a MIME type such as text/plain;charset=utf-8.");
		}
		// Parsed only to reject a malformed one: a broker forwards the sender's
		// content-type as written, and the parsed copy would be written back normalised
		// ("a; b" -> "a;b").
		accessor.removeHeader(MessageHeaders.CONTENT_TYPE);
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

}
