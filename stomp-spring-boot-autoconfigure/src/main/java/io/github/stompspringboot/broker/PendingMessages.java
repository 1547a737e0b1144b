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

	/**
	 * No line above this one holds a message: taking starts here rather than at the top
	 * priority, which most queues never see.
	 */
	private int highest;

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
		added(message);
	}

	/** A message returned un-acknowledged: ahead of those of its priority. */
	void addFirst(BrokerMessage message) {
		lineOf(message).addFirst(message);
		added(message);
	}

	private void added(BrokerMessage message) {
		this.size++;
		if (this.lines.length > 1 && message.priority() > this.highest) {
			this.highest = message.priority();
		}
	}

	BrokerMessage peekFirst() {
		return (this.size > 0) ? firstLine().peekFirst() : null;
	}

	BrokerMessage pollFirst() {
		if (this.size == 0) {
			return null;
		}
		this.size--;
		return firstLine().pollFirst();
	}

	/** The highest non-empty line; only called with a message waiting. */
	private ArrayDeque<BrokerMessage> firstLine() {
		while (this.lines[this.highest].isEmpty()) {
			this.highest--;
		}
		return this.lines[this.highest];
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
		this.highest = 0;
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
