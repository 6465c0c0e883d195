package io.fitserve.ml.trees;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import io.fitserve.ml.data.Blocks;

/**
 * A small fixed pool. {@link #forEach} hands out indices one at a time; each index is
 * processed entirely by one thread, so results that are written per index do not depend
 * on the number of threads.
 */
final class Parallel implements AutoCloseable {

	private final ExecutorService pool;

	private final int threads;

	Parallel(int threads) {
		this.threads = Math.max(1, threads);
		if (this.threads > 1) {
			AtomicInteger n = new AtomicInteger();
			this.pool = Executors.newFixedThreadPool(this.threads - 1, (r) -> {
				Thread t = new Thread(r, "fitserve-trees-" + n.incrementAndGet());
				t.setDaemon(true);
				return t;
			});
		}
		else {
			this.pool = null;
		}
	}

	/**
	 * The threads asked for, else the training passes' ({@link Blocks#threads()}: every
	 * available processor unless capped).
	 */
	static int defaultThreads(int requested) {
		return requested > 0 ? requested : Blocks.threads();
	}

	int threads() {
		return this.threads;
	}

	/** Runs body(0..n-1), in parallel when {@code parallel} and there is a pool. */
	void forEach(int n, boolean parallel, IntConsumer body) {
		if (this.pool == null || !parallel || n <= 1) {
			for (int i = 0; i < n; i++) {
				body.accept(i);
			}
			return;
		}
		AtomicInteger next = new AtomicInteger();
		Runnable worker = () -> {
			int i;
			while ((i = next.getAndIncrement()) < n) {
				body.accept(i);
			}
		};
		int helpers = Math.min(this.threads - 1, n - 1);
		List<Future<?>> futures = new ArrayList<>(helpers);
		for (int t = 0; t < helpers; t++) {
			futures.add(this.pool.submit(worker));
		}
		RuntimeException failure = null;
		try {
			worker.run();
		}
		catch (RuntimeException ex) {
			failure = ex;
			next.set(n);
		}
		for (Future<?> f : futures) {
			try {
				f.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				failure = (failure != null) ? failure : new IllegalStateException("interrupted", ex);
			}
			catch (ExecutionException ex) {
				if (failure == null) {
					failure = (ex.getCause() instanceof RuntimeException re) ? re
							: new IllegalStateException(ex.getCause());
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/** Runs body over row chunks [from, to) of a fixed size (independent of threads). */
	void forRows(int n, RangeBody body) {
		int chunk = 16384;
		int chunks = (n + chunk - 1) / chunk;
		forEach(chunks, n >= 2 * chunk, (c) -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)));
	}

	@Override
	public void close() {
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

	interface RangeBody {

		void run(int from, int to);

	}

}
