package io.fitserve.bench;

import java.util.Arrays;

/** Wall-time repeats for the on-demand benchmarks under bench/java. */
public final class Timing {

	private Timing() {
	}

	/** Runs pass warmup times, then times it repeats times; milliseconds per run. */
	public static double[] time(int warmup, int repeats, Runnable pass) {
		for (int i = 0; i < warmup; i++) {
			pass.run();
		}
		double[] ms = new double[repeats];
		for (int i = 0; i < repeats; i++) {
			long t0 = System.nanoTime();
			pass.run();
			ms[i] = (System.nanoTime() - t0) / 1e6;
		}
		return ms;
	}

	public static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
