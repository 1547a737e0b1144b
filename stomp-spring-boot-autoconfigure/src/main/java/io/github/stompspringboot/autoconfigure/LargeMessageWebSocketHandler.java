package io.github.stompspringboot.autoconfigure;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * One browser connection's WebSocket handler, asking the container for partial messages
 * so that a frame larger than the container's message buffer is not refused with close
 * code 1009.
 * <p>
 * For plain WebSocket the parts go straight on: Spring's STOMP decoder reassembles frames
 * across WebSocket messages and enforces its size limit (set from {@code max-frame-size})
 * with an ERROR. The session it sends through is a {@link BinarySafeWebSocketSession}, so
 * a body that is not UTF-8 reaches the browser byte for byte. For SockJS, whose JSON
 * envelope must be whole to be read, the parts are joined here up to a bound, over which
 * the connection closes.
 */
final class LargeMessageWebSocketHandler extends WebSocketHandlerDecorator {

	private final boolean assemble;

	private final int assembleLimit;

	private WebSocketSession session;

	private StringBuilder text;

	/**
	 * A high surrogate ending a part, held back so that no part ends inside a character.
	 */
	private char heldBack;

	private LargeMessageWebSocketHandler(WebSocketHandler delegate, boolean assemble, int assembleLimit) {
		super(delegate);
		this.assemble = assemble;
		this.assembleLimit = assembleLimit;
	}

	static LargeMessageWebSocketHandler streaming(WebSocketHandler stompHandler) {
		return new LargeMessageWebSocketHandler(stompHandler, false, 0);
	}

	static LargeMessageWebSocketHandler assembling(WebSocketHandler sockJsHandler, int limit) {
		return new LargeMessageWebSocketHandler(sockJsHandler, true, limit);
	}

	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		this.session = this.assemble ? session : new BinarySafeWebSocketSession(session);
		super.afterConnectionEstablished(this.session);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
		WebSocketSession target = (this.session != null) ? this.session : session;
		if (message instanceof TextMessage part) {
			if (this.assemble) {
				assembleText(target, part);
			}
			else {
				streamText(target, part);
			}
			return;
		}
		super.handleMessage(target, message);
	}

	private void streamText(WebSocketSession target, TextMessage part) throws Exception {
		String payload = part.getPayload();
		if (this.heldBack != 0) {
			payload = this.heldBack + payload;
			this.heldBack = 0;
		}
		if (!part.isLast() && !payload.isEmpty() && Character.isHighSurrogate(payload.charAt(payload.length() - 1))) {
			this.heldBack = payload.charAt(payload.length() - 1);
			payload = payload.substring(0, payload.length() - 1);
		}
		super.handleMessage(target, (payload == part.getPayload()) ? part : new TextMessage(payload, part.isLast()));
	}

	private void assembleText(WebSocketSession target, TextMessage part) throws Exception {
		if (part.isLast() && this.text == null) {
			super.handleMessage(target, part);
			return;
		}
		if (this.text == null) {
			this.text = new StringBuilder();
		}
		this.text.append(part.getPayload());
		if (this.text.length() > this.assembleLimit) {
			this.text = null;
			target.close(CloseStatus.TOO_BIG_TO_PROCESS
				.withReason("A SockJS message may be at most " + this.assembleLimit + " characters"));
			return;
		}
		if (part.isLast()) {
			String whole = this.text.toString();
			this.text = null;
			super.handleMessage(target, new TextMessage(whole));
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) throws Exception {
		super.handleTransportError((this.session != null) ? this.session : session, exception);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
		this.text = null;
		super.afterConnectionClosed((this.session != null) ? this.session : session, closeStatus);
	}

}
