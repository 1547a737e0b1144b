package io.github.stompspringboot.broker;

import java.util.AbstractCollection;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The messages waiting in one queue, in delivery order: higher
 * {@link BrokerMessage#priority()} first, arrival order within a priority (as in ActiveMQ
 * and Artemis). One FIFO line per priority, so adding and taking stay constant-time. A
 * queue kept in strict order puts every message in one line, whatever its priority.
 */
final class PendingMessages extends AbstractCollection<BrokerMessage> {

	private final ArrayDeque<BrokerMessage>[] lines;

	private int size;

	@SuppressWarnings("unchecked")
	PendingMessages(boolean strictOrder) {
		this.lines = new ArrayDeque[strictOrder ? 1 : BrokerMessage.MAX_PRIORITY + 1];
		for (int i = 0; i < this.lines.length; i++) {
			this.lines[i] = new ArrayDeque<>();
		}
	}

	private ArrayDeque<BrokerMessage> lineOf(BrokerMessage message) {
		return (this.lines.length == 1) ? this.lines[0] : this.lines[message.priority()];
	}

	/** A new message: behind those of its priority. */
	void addLast(BrokerMessage message) {
		lineOf(message).addLast(message);
		this.size++;
	}

	/** A message returned un-acknowledged: ahead of those of its priority. */
	void addFirst(BrokerMessage message) {
		lineOf(message).addFirst(message);
		this.size++;
	}

	BrokerMessage peekFirst() {
		for (int i = this.lines.length - 1; i >= 0; i--) {
			BrokerMessage first = this.lines[i].peekFirst();
			if (first != null) {
				return first;
			}
		}
		return null;
	}

	BrokerMessage pollFirst() {
		for (int i = this.lines.length - 1; i >= 0; i--) {
			BrokerMessage first = this.lines[i].pollFirst();
			if (first != null) {
				this.size--;
				return first;
			}
		}
		return null;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public boolean isEmpty() {
		return this.size == 0;
	}

	@Override
	public void clear() {
		for (ArrayDeque<BrokerMessage> line : this.lines) {
			line.clear();
		}
		this.size = 0;
	}

	/** In delivery order; {@link Iterator#remove()} takes the message out. */
	@Override
	public Iterator<BrokerMessage> iterator() {
		return new Iterator<>() {

			private int line = PendingMessages.this.lines.length - 1;

			private Iterator<BrokerMessage> current = PendingMessages.this.lines[this.line].iterator();

			private Iterator<BrokerMessage> last;

			@Override
			public boolean hasNext() {
				while (!this.current.hasNext()) {
					if (this.line == 0) {
						return false;
					}
					this.line--;
					this.current = PendingMessages.this.lines[this.line].iterator();
				}
				return true;
			}

			@Override
			public BrokerMessage next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				this.last = this.current;
				return this.current.next();
			}

			@Override
			public void remove() {
				if (this.last == null) {
					throw new IllegalStateException();
				}
				this.last.remove();
				this.last = null;
				PendingMessages.this.size--;
			}

		};
	}

}
