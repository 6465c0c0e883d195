package io.fitserve.ml.data;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BlocksTest {

	@Test
	void sumAddsEveryBlocksPartialSums() {
		// block b adds b+1 to slot 0 and 2(b+1) to slot 1: 1+...+100 = 5050
		double[] total = Blocks.sum(100, 2, 2, (b, partial) -> {
			partial[0] += b + 1;
			partial[1] += 2 * (b + 1);
		});
		assertThat(total).containsExactly(5050.0, 10100.0);
	}

	@Test
	void sumIsTheSequentialBlockOrderSumWhateverTheThreadCount() {
		// values of very different magnitudes, so that any other order of the additions
		// would round differently
		int blocks = 257;
		int width = 3;
		double[][] values = new double[blocks][width];
		SplittableRandom random = new SplittableRandom(5);
		for (double[] row : values) {
			for (int i = 0; i < width; i++) {
				row[i] = random.nextGaussian() * Math.pow(10, random.nextInt(-8, 9));
			}
		}
		double[] expected = new double[width];
		for (double[] row : values) {
			for (int i = 0; i < width; i++) {
				expected[i] += row[i];
			}
		}
		Blocks.Partial body = (b, partial) -> System.arraycopy(values[b], 0, partial, 0, width);
		assertThat(Blocks.sum(blocks, width, 1, body)).containsExactly(expected);
		for (int threads = 2; threads <= 8; threads *= 2) {
			for (int repeat = 0; repeat < 20; repeat++) {
				assertThat(Blocks.sum(blocks, width, threads, body)).containsExactly(expected);
			}
		}
	}

	@Test
	void sumWithScratchRunsEachBlockOnceAndReusesOneScratchPerThread() {
		int blocks = 257;
		double[] values = new double[blocks];
		SplittableRandom random = new SplittableRandom(7);
		for (int b = 0; b < blocks; b++) {
			values[b] = random.nextGaussian() * Math.pow(10, random.nextInt(-8, 9));
		}
		double expected = 0;
		for (double v : values) {
			expected += v;
		}
		for (int threads : new int[] { 1, 2, 4 }) {
			AtomicInteger scratches = new AtomicInteger();
			AtomicIntegerArray seen = new AtomicIntegerArray(blocks);
			double[] total = Blocks.sum(blocks, 2, threads, () -> new int[] { scratches.incrementAndGet(), 0 },
					(b, partial, scratch) -> {
						seen.incrementAndGet(b);
						partial[0] = values[b];
						partial[1] = 1;
					});
			assertThat(total[0]).as("%d threads", threads).isEqualTo(expected);
			assertThat(total[1]).isEqualTo(blocks);
			assertThat(scratches.get()).as("scratch values made with %d threads", threads).isBetween(1, threads);
			for (int b = 0; b < blocks; b++) {
				assertThat(seen.get(b)).isEqualTo(1);
			}
		}
	}

	@Test
	void forEachRunsEveryIndexExactlyOnce() {
		for (int threads : new int[] { 1, 2, 4 }) {
			AtomicIntegerArray seen = new AtomicIntegerArray(1000);
			Blocks.forEach(1000, threads, seen::incrementAndGet);
			for (int i = 0; i < 1000; i++) {
				assertThat(seen.get(i)).as("index %d with %d threads", i, threads).isEqualTo(1);
			}
		}
	}

	@Test
	void limitThreadsCapsThePassesThreadsAndOneRunsEveryIndexOnTheCaller() {
		try {
			Blocks.limitThreads(1);
			assertThat(Blocks.threads()).isEqualTo(1);
			java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
			AtomicIntegerArray hits = new AtomicIntegerArray(100);
			Blocks.forEach(100, Blocks.threads(), i -> {
				threads.add(Thread.currentThread().getName());
				hits.incrementAndGet(i);
			});
			assertThat(threads).containsExactly(Thread.currentThread().getName());
			for (int i = 0; i < 100; i++) {
				assertThat(hits.get(i)).isEqualTo(1);
			}
			// a cap above the processors is the processors
			Blocks.limitThreads(Blocks.threadsAvailable() + 3);
			assertThat(Blocks.threads()).isEqualTo(Blocks.threadsAvailable());
		}
		finally {
			Blocks.limitThreads(0);
		}
		assertThat(Blocks.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> Blocks.limitThreads(-1))
			.withMessage("threads must be at least 0, not -1");
	}

	@Test
	void forEachWithFewerThreadsThanIndicesRunsEachOnceAndNoMoreAtOnce() throws Exception {
		int count = 64;
		AtomicIntegerArray hits = new AtomicIntegerArray(count);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger most = new AtomicInteger();
		// called from a pool of eight, whose threads a parallel stream would use: all
		// eight at once without the cap
		java.util.concurrent.ForkJoinPool eight = new java.util.concurrent.ForkJoinPool(8);
		try {
			eight.submit(() -> forEachSpinning(count, hits, running, most)).get();
		}
		finally {
			eight.shutdown();
		}
		for (int i = 0; i < count; i++) {
			assertThat(hits.get(i)).as("index %d", i).isEqualTo(1);
		}
		assertThat(most.get()).isBetween(1, 2);
	}

	private static void forEachSpinning(int count, AtomicIntegerArray hits, AtomicInteger running, AtomicInteger most) {
		Blocks.forEach(count, 2, i -> {
			most.accumulateAndGet(running.incrementAndGet(), Math::max);
			// long enough for another thread to start an index meanwhile
			long until = System.nanoTime() + 200_000;
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			running.decrementAndGet();
			hits.incrementAndGet(i);
		});
	}

}
