package io.fitserve.prediction;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs work over the indices 0..count-1 in two halves when there are enough of them and a
 * second core: the second half on the common fork-join pool, the first on the calling
 * thread. Whichever thread comes to the second half first runs it, so a busy pool (a
 * training job's passes use it too) never makes the caller wait for a task that has not
 * started: the caller then runs that half itself, as it would without a pool.
 */
final class Halves {

	/** Work over indices from..to-1; it must not share mutable state between indices. */
	@FunctionalInterface
	interface Range {

		void run(int from, int to);

	}

	private Halves() {
	}

	/** Runs range over 0..count-1, in two halves from minCount indices. */
	static void run(int count, int minCount, Range range) {
		if (count < Math.max(2, minCount) || Runtime.getRuntime().availableProcessors() < 2) {
			range.run(0, count);
			return;
		}
		int middle = count >>> 1;
		Second second = new Second(range, middle, count);
		ForkJoinPool.commonPool().execute(second);
		try {
			range.run(0, middle);
		}
		catch (RuntimeException | Error ex) {
			// the answer is lost: the second half need not start
			second.claim();
			throw ex;
		}
		second.finish();
	}

	/** The second half, claimed once: by a pool thread or, if none has, the caller. */
	private static final class Second implements Runnable {

		private final AtomicBoolean claimed = new AtomicBoolean();

		private final CountDownLatch done = new CountDownLatch(1);

		private final Range range;

		private final int from;

		private final int to;

		private Throwable failure;

		Second(Range range, int from, int to) {
			this.range = range;
			this.from = from;
			this.to = to;
		}

		boolean claim() {
			return this.claimed.compareAndSet(false, true);
		}

		@Override
		public void run() {
			if (!claim()) {
				return;
			}
			try {
				this.range.run(this.from, this.to);
			}
			catch (RuntimeException | Error ex) {
				this.failure = ex;
			}
			finally {
				this.done.countDown();
			}
		}

		/** Runs the half here if no pool thread has claimed it, else waits for it. */
		void finish() {
			if (claim()) {
				this.range.run(this.from, this.to);
				return;
			}
			boolean interrupted = false;
			while (true) {
				try {
					this.done.await();
					break;
				}
				catch (InterruptedException ex) {
					// the half is under way and its rows are needed: wait it out
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			if (this.failure instanceof RuntimeException ex) {
				throw ex;
			}
			if (this.failure instanceof Error ex) {
				throw ex;
			}
		}

	}

}
