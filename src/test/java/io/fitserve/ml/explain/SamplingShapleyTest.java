package io.fitserve.ml.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Sampled Shapley values against hand-derived values and against the subset formula (an
 * independent route: {@code phi_i = sum over S of |S|!(n-|S|-1)!/n! (v(S+i) - v(S))} with
 * v(S) the mean over the background of f with the features in S taken from x).
 */
class SamplingShapleyTest {

	/** A model of one output per row, as a batch function. */
	private static Function<double[][], double[][]> model(ToDoubleFunction<double[]> f) {
		return rows -> {
			double[][] out = new double[rows.length][];
			for (int r = 0; r < rows.length; r++) {
				out[r] = new double[] { f.applyAsDouble(rows[r]) };
			}
			return out;
		};
	}

	private static double sum(double[] values) {
		double s = 0;
		for (double v : values) {
			s += v;
		}
		return s;
	}

	/**
	 * f(x) = 2 x0 + x1 x2 with one background row b: the linear term gives 2 (x0 - b0) to
	 * x0; the interaction's x1 x2 - b1 b2 is split between x1 and x2 by the two orders:
	 * x1 gets ((x1 - b1) b2 + (x1 - b1) x2) / 2 = (x1 - b1)(x2 + b2) / 2, x2 likewise (x2
	 * - b2)(x1 + b1) / 2 (which is (x1 x2 - b1 b2) / 2 each when b = 0). With 3! = 6 <=
	 * samples every permutation is evaluated: exact.
	 */
	@Test
	void allPermutationsOfThreeFeaturesGiveTheExactValues() {
		double[] x = { 1.5, 2, -3 };
		double[] b = { 0.5, -1, 4 };
		Function<double[][], double[][]> f = model(z -> 2 * z[0] + z[1] * z[2]);
		SamplingShapley.Result r = SamplingShapley.explain(f, 0, x, new double[][] { b }, new int[] { 1, 1, 1 }, 64, 7);
		assertThat(r.exhaustive()).isTrue();
		assertThat(r.samples()).isEqualTo(6);
		assertThat(r.backgroundRows()).isEqualTo(1);
		assertThat(r.score()).isEqualTo(2 * 1.5 + 2 * -3.0);
		assertThat(r.base()).isEqualTo(2 * 0.5 + -1 * 4.0);
		// by hand: 2 (1.5 - 0.5) = 2; (2 + 1)(-3 + 4) / 2 = 1.5; (-3 - 4)(2 - 1) / 2 =
		// -3.5
		assertThat(r.contributions()[0]).isCloseTo(2.0, within(1e-12));
		assertThat(r.contributions()[1]).isCloseTo(1.5, within(1e-12));
		assertThat(r.contributions()[2]).isCloseTo(-3.5, within(1e-12));
		assertThat(r.base() + sum(r.contributions())).isCloseTo(r.score(), within(1e-12));
		// cost: f(x) and f(b) once, then 6 permutations x 2 inner rows x 1 background row
		assertThat(r.evaluations()).isEqualTo(2 + 6 * 2)
			.isEqualTo(SamplingShapley.plan(new int[] { 1, 1, 1 }, 1, 64).evaluations());
		// with a zero background, the brief's (x1 x2 - b1 b2) / 2 each
		SamplingShapley.Result zero = SamplingShapley.explain(f, 0, x, new double[][] { new double[3] },
				new int[] { 1, 1, 1 }, 6, 7);
		assertThat(zero.contributions()).containsExactly(new double[] { 3, -3, -3 }, within(1e-12));
	}

	/** The subset formula with v(S) = mean over the background of f(x_S, b_notS). */
	private static double[] subsetShapley(ToDoubleFunction<double[]> f, double[] x, double[][] background) {
		int n = x.length;
		double[] factorial = new double[n + 1];
		factorial[0] = 1;
		for (int i = 1; i <= n; i++) {
			factorial[i] = factorial[i - 1] * i;
		}
		double[] v = new double[1 << n];
		for (int mask = 0; mask < v.length; mask++) {
			double mean = 0;
			for (double[] b : background) {
				double[] z = b.clone();
				for (int i = 0; i < n; i++) {
					if ((mask & (1 << i)) != 0) {
						z[i] = x[i];
					}
				}
				mean += f.applyAsDouble(z);
			}
			v[mask] = mean / background.length;
		}
		double[] phi = new double[n];
		for (int i = 0; i < n; i++) {
			for (int mask = 0; mask < v.length; mask++) {
				if ((mask & (1 << i)) == 0) {
					int s = Integer.bitCount(mask);
					phi[i] += factorial[s] * factorial[n - s - 1] / factorial[n] * (v[mask | (1 << i)] - v[mask]);
				}
			}
		}
		return phi;
	}

	/** Five features with a three-way interaction and a nonlinearity. */
	private static double five(double[] z) {
		return 2 * z[0] + z[1] * z[2] * z[3] + Math.tanh(z[3] - z[4]) + z[4] * z[4];
	}

	private static double[][] randomRows(int rows, int width, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] out = new double[rows][width];
		for (double[] row : out) {
			for (int j = 0; j < width; j++) {
				row[j] = random.nextDouble(-2, 2);
			}
		}
		return out;
	}

	@Test
	void exhaustiveMatchesTheSubsetFormulaWithAManyRowBackground() {
		double[] x = { 1.2, -0.7, 1.9, 0.4, -1.1 };
		double[][] background = randomRows(7, 5, 3);
		double[] exact = subsetShapley(SamplingShapleyTest::five, x, background);
		SamplingShapley.Result r = SamplingShapley.explain(model(SamplingShapleyTest::five), 0, x, background,
				new int[] { 1, 1, 1, 1, 1 }, 120, 1);
		assertThat(r.exhaustive()).isTrue();
		assertThat(r.samples()).isEqualTo(120);
		assertThat(r.contributions()).containsExactly(exact, within(1e-12));
	}

	@Test
	void samplingConvergesToTheExactValuesAndAlwaysAddsUp() {
		double[] x = { 1.2, -0.7, 1.9, 0.4, -1.1 };
		double[][] background = randomRows(7, 5, 3);
		double[] exact = subsetShapley(SamplingShapleyTest::five, x, background);
		int[] widths = { 1, 1, 1, 1, 1 };
		double fx = five(x);
		double worstFew = 0;
		double worstMany = 0;
		for (int samples : new int[] { 1, 2, 3, 8, 40 }) {
			SamplingShapley.Result r = SamplingShapley.explain(model(SamplingShapleyTest::five), 0, x, background,
					widths, samples, 11);
			assertThat(r.exhaustive()).isFalse();
			assertThat(r.samples()).isEqualTo(samples);
			// additivity does not depend on the number of samples
			assertThat(r.score()).isEqualTo(fx);
			assertThat(r.base() + sum(r.contributions())).isCloseTo(fx, within(1e-9 * Math.abs(fx)));
			assertThat(r.evaluations()).isEqualTo(1 + 7 + (long) samples * 4 * 7);
			// the linear feature is exact whatever the order it comes in
			assertThat(r.contributions()[0]).isCloseTo(exact[0], within(1e-12));
			if (samples == 8) {
				worstFew = maxError(r.contributions(), exact);
			}
			if (samples == 40) {
				worstMany = maxError(r.contributions(), exact);
			}
		}
		assertThat(worstMany).isLessThan(0.1);
		SamplingShapley.Result big = SamplingShapley.explain(model(SamplingShapleyTest::five), 0, x, background, widths,
				110, 11);
		assertThat(maxError(big.contributions(), exact)).isLessThan(0.05).isLessThan(Math.max(worstFew, 1e-3));
	}

	private static double maxError(double[] a, double[] b) {
		double worst = 0;
		for (int i = 0; i < a.length; i++) {
			worst = Math.max(worst, Math.abs(a[i] - b[i]));
		}
		return worst;
	}

	/**
	 * Antithetic pairs settle pairwise interactions exactly: in a permutation and its
	 * reverse the two features come in both orders.
	 */
	@Test
	void antitheticPairsAreExactForPairwiseInteractions() {
		ToDoubleFunction<double[]> pairwise = z -> 2 * z[0] + z[1] * z[2] - 3 * z[3] * z[4] + z[0] * z[5];
		double[] x = { 1, 2, 3, -1, 0.5, 2 };
		double[][] background = randomRows(3, 6, 9);
		double[] exact = subsetShapley(pairwise, x, background);
		SamplingShapley.Result r = SamplingShapley.explain(model(pairwise), 0, x, background,
				new int[] { 1, 1, 1, 1, 1, 1 }, 4, 5);
		assertThat(r.exhaustive()).isFalse();
		assertThat(r.contributions()).containsExactly(exact, within(1e-12));
	}

	@Test
	void theSameSeedGivesTheSameAnswerAndAnotherSeedAnother() {
		double[] x = { 1.2, -0.7, 1.9, 0.4, -1.1 };
		double[][] background = randomRows(4, 5, 8);
		int[] widths = { 1, 1, 1, 1, 1 };
		SamplingShapley.Result a = SamplingShapley.explain(model(SamplingShapleyTest::five), 0, x, background, widths,
				10, 42);
		SamplingShapley.Result b = SamplingShapley.explain(model(SamplingShapleyTest::five), 0, x, background, widths,
				10, 42);
		SamplingShapley.Result c = SamplingShapley.explain(model(SamplingShapleyTest::five), 0, x, background, widths,
				10, 43);
		assertThat(b.contributions()).containsExactly(a.contributions());
		assertThat(c.contributions()).isNotEqualTo(a.contributions());
		assertThat(c.base() + sum(c.contributions())).isCloseTo(a.score(), within(1e-12));
	}

	/**
	 * A feature two columns wide (one-hot) switches as a whole: no hybrid row mixes its
	 * columns, and the values are those of the two-player game.
	 */
	@Test
	void aFeaturesColumnsSwitchTogether() {
		double[] x = { 0, 1, 0, 2.0 };
		double[] b = { 1, 0, 0, -1.0 };
		List<double[]> seen = new ArrayList<>();
		// columns 0..2: one-hot of feature A (3 levels); column 3: feature B
		ToDoubleFunction<double[]> f = z -> 5 * z[1] * z[3] + z[0] - z[3];
		Function<double[][], double[][]> recording = rows -> {
			for (double[] row : rows) {
				seen.add(row.clone());
			}
			return model(f).apply(rows);
		};
		SamplingShapley.Result r = SamplingShapley.explain(recording, 0, x, new double[][] { b }, new int[] { 3, 1 }, 2,
				0);
		assertThat(r.exhaustive()).isTrue();
		for (double[] row : seen) {
			boolean fromX = row[0] == x[0] && row[1] == x[1] && row[2] == x[2];
			boolean fromB = row[0] == b[0] && row[1] == b[1] && row[2] == b[2];
			assertThat(fromX || fromB).as("columns of A move together").isTrue();
		}
		// the two-player game: v() = f(b) = 0 + 1 + 1 = 2, v(A) = f(0,1,0,-1) = -5 + 1 =
		// -4,
		// v(B) = f(1,0,0,2) = 1 - 2 = -1, v(AB) = f(x) = 10 - 2 = 8
		double phiA = ((-4 - 2) + (8 - -1)) / 2.0;
		double phiB = ((-1 - 2) + (8 - -4)) / 2.0;
		assertThat(r.contributions()).containsExactly(new double[] { phiA, phiB }, within(1e-12));
		assertThat(r.base()).isEqualTo(2);
		assertThat(r.score()).isEqualTo(8);
	}

	@Test
	void featuresOfWidthZeroGetZeroAndOneFeatureTakesTheWholeDifference() {
		Function<double[][], double[][]> f = model(z -> 3 * z[0] * z[0]);
		SamplingShapley.Result r = SamplingShapley.explain(f, 0, new double[] { 2 },
				new double[][] { { 1 }, { -1 }, { 0 } }, new int[] { 0, 1, 0 }, 64, 3);
		assertThat(r.samples()).isEqualTo(1);
		assertThat(r.base()).isCloseTo(2.0, within(1e-12));
		assertThat(r.contributions()).containsExactly(0, 10, 0);
		assertThat(r.evaluations()).isEqualTo(4);
	}

	/**
	 * A batch holds at most MAX_BATCH_VALUES encoded values: here 99 inner rows x 200
	 * values per background row allow blocks of 52 background rows, so each permutation
	 * takes two calls; the answer still adds up.
	 */
	@Test
	void largeBackgroundsAreEvaluatedInBlocks() {
		int width = 200;
		double[] x = randomRows(1, width, 1)[0];
		double[][] background = randomRows(100, width, 2);
		int[] widths = new int[width / 2];
		java.util.Arrays.fill(widths, 2);
		ToDoubleFunction<double[]> f = z -> {
			double s = 0;
			for (int j = 0; j + 1 < z.length; j++) {
				s += Math.sin(z[j] * z[j + 1]);
			}
			return s;
		};
		AtomicInteger calls = new AtomicInteger();
		AtomicInteger largest = new AtomicInteger();
		Function<double[][], double[][]> counting = rows -> {
			calls.incrementAndGet();
			largest.accumulateAndGet(rows.length, Math::max);
			return model(f).apply(rows);
		};
		SamplingShapley.Result r = SamplingShapley.explain(counting, 0, x, background, widths, 2, 5);
		assertThat(SamplingShapley.MAX_BATCH_VALUES / (99 * width)).isEqualTo(52);
		assertThat(calls.get()).isEqualTo(1 + 2 * 2);
		assertThat(largest.get()).isEqualTo(52 * 99);
		assertThat(r.evaluations()).isEqualTo(101 + 2L * 99 * 100);
		double fx = f.applyAsDouble(x);
		assertThat(r.score()).isEqualTo(fx);
		assertThat(r.base() + sum(r.contributions())).isCloseTo(fx, within(1e-9 * Math.abs(fx)));
	}

	@Test
	void refusesInconsistentInputs() {
		Function<double[][], double[][]> f = model(z -> z[0]);
		assertThatIllegalArgumentException().isThrownBy(() -> SamplingShapley.explain(f, 0, new double[] { 1, 2 },
				new double[][] { { 0, 0 } }, new int[] { 1 }, 4, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> SamplingShapley.explain(f, 0, new double[] { 1 },
				new double[][] { { 0, 0 } }, new int[] { 1 }, 4, 0));
		assertThatIllegalArgumentException().isThrownBy(
				() -> SamplingShapley.explain(f, 0, new double[] { 1 }, new double[0][], new int[] { 1 }, 4, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> SamplingShapley.explain(f, 1, new double[] { 1 },
				new double[][] { { 0 } }, new int[] { 1 }, 4, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> SamplingShapley.plan(new int[] { 1 }, 1, 0));
	}

}
