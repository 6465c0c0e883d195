package io.fitserve.prediction;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HalvesTest {

	@Test
	void everyIndexRunsOnceInTwoHalvesFromTheMinimum() {
		for (int count : new int[] { 0, 1, 2, 3, 99, 100, 101, 1001 }) {
			AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, count));
			Set<String> ranges = ConcurrentHashMap.newKeySet();
			Halves.run(count, 100, (from, to) -> {
				ranges.add(from + ".." + to);
				for (int i = from; i < to; i++) {
					runs.incrementAndGet(i);
				}
			});
			for (int i = 0; i < count; i++) {
				assertThat(runs.get(i)).as("count %d index %d", count, i).isEqualTo(1);
			}
			if (count >= 100 && Runtime.getRuntime().availableProcessors() > 1) {
				assertThat(ranges).containsExactlyInAnyOrder("0.." + count / 2, count / 2 + ".." + count);
			}
			else {
				assertThat(ranges).containsExactly("0.." + count);
			}
		}
	}

	@Test
	void theCallerRunsTheSecondHalfWhenThePoolIsBusy() throws InterruptedException {
		int parallelism = ForkJoinPool.getCommonPoolParallelism();
		CountDownLatch busy = new CountDownLatch(parallelism);
		CountDownLatch release = new CountDownLatch(1);
		for (int t = 0; t < parallelism; t++) {
			ForkJoinPool.commonPool().execute(() -> {
				busy.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		try {
			assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
			Set<String> threads = ConcurrentHashMap.newKeySet();
			Halves.run(10, 2, (from, to) -> threads.add(from + ".." + to + " " + Thread.currentThread().getName()));
			String caller = Thread.currentThread().getName();
			assertThat(threads).containsExactlyInAnyOrder("0..5 " + caller, "5..10 " + caller);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aFailureInEitherHalfReachesTheCaller() {
		assertThatThrownBy(() -> Halves.run(10, 2, (from, to) -> {
			if (from == 0) {
				throw new IllegalStateException("first");
			}
		})).isInstanceOf(IllegalStateException.class).hasMessage("first");
		assertThatThrownBy(() -> Halves.run(10, 2, (from, to) -> {
			if (from == 5) {
				throw new IllegalArgumentException("second");
			}
		})).isInstanceOf(IllegalArgumentException.class).hasMessage("second");
	}

}
