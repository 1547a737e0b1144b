package io.github.stompspringboot.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time and allocated bytes of the threads whose names a predicate accepts, over a
 * run: in a forked broker's JVM ({@link ForkedBroker}), every thread but this meter's
 * own. Sampled every 100 ms on a thread of its own, so a pool thread that ends mid-run
 * still counts up to its last sample. Garbage collection and JIT threads are not Java
 * threads: the process CPU time counts them.
 */
final class CpuMeter implements AutoCloseable {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	/** The JDK's extension, for bytes allocated per thread; null where it is missing. */
	private static final com.sun.management.ThreadMXBean ALLOCATION = (THREADS instanceof com.sun.management.ThreadMXBean extended)
			? extended : null;

	private final Predicate<String> owned;

	/**
	 * Per thread id: CPU nanos at its first and latest sample, then allocated bytes at
	 * its first and latest sample.
	 */
	private final Map<Long, long[]> seen = new HashMap<>();

	private final Thread sampler;

	private volatile boolean running = true;

	private CpuMeter(Predicate<String> owned) {
		this.owned = owned;
		sample(true);
		this.sampler = new Thread(() -> {
			while (this.running) {
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
				sample(false);
			}
		}, "cpu-meter");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	/** Starts measuring the threads whose names the predicate accepts; null for none. */
	static CpuMeter start(Predicate<String> owned) {
		return (owned != null) ? new CpuMeter(owned) : null;
	}

	private synchronized void sample(boolean first) {
		long[] ids = THREADS.getAllThreadIds();
		for (ThreadInfo info : THREADS.getThreadInfo(ids)) {
			if (info == null || !this.owned.test(info.getThreadName())) {
				continue;
			}
			long cpu = THREADS.getThreadCpuTime(info.getThreadId());
			if (cpu < 0) {
				continue;
			}
			long allocated = (ALLOCATION != null) ? ALLOCATION.getThreadAllocatedBytes(info.getThreadId()) : 0;
			long[] times = this.seen.get(info.getThreadId());
			if (times == null) {
				// A thread born during the run counts from zero.
				this.seen.put(info.getThreadId(),
						new long[] { first ? cpu : 0, cpu, first ? allocated : 0, allocated });
			}
			else {
				times[1] = cpu;
				times[3] = allocated;
			}
		}
	}

	/** CPU nanos the owned threads used since {@link #start}. */
	synchronized long stop() {
		this.running = false;
		this.sampler.interrupt();
		sample(false);
		long total = 0;
		for (long[] times : this.seen.values()) {
			total += times[1] - times[0];
		}
		return total;
	}

	/** Bytes the owned threads allocated between {@link #start} and {@link #stop}. */
	synchronized long allocatedBytes() {
		long total = 0;
		for (long[] times : this.seen.values()) {
			total += times[3] - times[2];
		}
		return total;
	}

	@Override
	public void close() {
		this.running = false;
		this.sampler.interrupt();
	}

}
