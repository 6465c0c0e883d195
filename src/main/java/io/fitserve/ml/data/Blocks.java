package io.fitserve.ml.data;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Work cut into a fixed number of blocks that run on every core (or as many as
 * {@link #limitThreads} allows), with results that do not depend on the thread count:
 * each block is processed entirely by one thread, and {@link #sum} adds the blocks'
 * partial sums in block order, so one thread and many give bit-identical results.
 */
public final class Blocks {

	/** The most threads a training pass uses; 0: one per available processor. */
	private static volatile int limit;

	private Blocks() {
	}

	/**
	 * The threads a training pass over the data uses: one per available processor, or
	 * fewer when {@link #limitThreads} was given fewer.
	 */
	public static int threads() {
		int available = threadsAvailable();
		int most = limit;
		return (most > 0) ? Math.min(most, available) : available;
	}

	/** One per available processor: what {@link #threads()} is without a cap. */
	public static int threadsAvailable() {
		return Runtime.getRuntime().availableProcessors();
	}

	/**
	 * Caps {@link #threads()} for the whole process (fitserve.compute.training-threads):
	 * 1 keeps training passes on the job's own thread, leaving the other cores to
	 * serving; 0 lifts the cap. Results do not change, only where the work runs.
	 */
	public static void limitThreads(int threads) {
		if (threads < 0) {
			throw new IllegalArgumentException("threads must be at least 0, not " + threads);
		}
		limit = threads;
	}

	/**
	 * Runs body(0..count-1), each index on one thread; on the common fork-join pool by at
	 * most threads threads at once when threads > 1 and there is more than one index
	 * (each takes the next index as it finishes one), else in order on the caller's
	 * thread.
	 */
	public static void forEach(int count, int threads, IntConsumer body) {
		if (threads <= 1 || count <= 1) {
			for (int i = 0; i < count; i++) {
				body.accept(i);
			}
			return;
		}
		AtomicInteger next = new AtomicInteger();
		IntStream.range(0, Math.min(threads, count)).parallel().forEach(t -> {
			for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
				body.accept(i);
			}
		});
	}

	/** Adds one block's partial sums to its own zeroed array. */
	public interface Partial {

		void add(int block, double[] partial);

	}

	/**
	 * Adds one block's partial sums to its own zeroed array, with working memory its
	 * thread reuses from block to block.
	 */
	public interface PartialWithScratch<S> {

		void add(int block, double[] partial, S scratch);

	}

	/**
	 * The sum over blocks 0..count-1 of each block's partial sums (width values each,
	 * every block starting from zeros), added in block order: the same bits whatever the
	 * thread count.
	 */
	public static double[] sum(int count, int width, int threads, Partial body) {
		return sum(count, width, threads, () -> null, (block, partial, scratch) -> body.add(block, partial));
	}

	/**
	 * As {@link #sum(int, int, int, Partial)}, each thread with one scratch value from
	 * scratch for all the blocks it runs (scratch is called at most min(threads, count)
	 * times, on the threads that run the blocks). Threads take the next block as they
	 * finish one, so a core busy with other work takes fewer; what a block adds does not
	 * depend on which thread ran it.
	 *
	 * <p>
	 * Working memory allocated per block instead (two 32 KB arrays for each of the 49
	 * blocks of a 200k-row pass) kept the two threads of a pass from running faster than
	 * one.
	 */
	public static <S> double[] sum(int count, int width, int threads, Supplier<S> scratch, PartialWithScratch<S> body) {
		double[][] partials = new double[count][];
		int tasks = Math.max(1, Math.min(threads, count));
		AtomicInteger next = new AtomicInteger();
		forEach(tasks, tasks, t -> {
			S own = scratch.get();
			for (int b = next.getAndIncrement(); b < count; b = next.getAndIncrement()) {
				double[] partial = new double[width];
				body.add(b, partial, own);
				partials[b] = partial;
			}
		});
		double[] total = new double[width];
		for (double[] partial : partials) {
			for (int i = 0; i < width; i++) {
				total[i] += partial[i];
			}
		}
		return total;
	}

}
