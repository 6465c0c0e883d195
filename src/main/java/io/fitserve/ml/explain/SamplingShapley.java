package io.fitserve.ml.explain;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Shapley values of any model's score for one row, estimated by sampling permutations
 * (Štrumbelj and Kononenko 2014), interventional against a background set:
 * {@code v(S) = mean over background rows b of f(x_S, b_notS)}.
 *
 * <p>
 * The players are the ORIGINAL features: a feature's encoded columns (one-hot groups)
 * switch from the background row to the explained row together; features of width 0 get
 * 0. Each permutation {@code pi} and background row {@code b} give a chain of hybrid rows
 * {@code z_0 = b, z_k = z_(k-1) with feature pi_k taken from x, ..., z_m = x}; feature
 * {@code pi_k} is credited {@code f(z_k) - f(z_(k-1))}. These telescope to
 * {@code f(x) - f(b)} for every permutation and background row, so the contributions plus
 * the base value (the mean of f over the background) add up to {@code f(x)} exactly
 * (within rounding) whatever the number of samples; only how each share is split between
 * the features is an estimate.
 *
 * <p>
 * Permutations are drawn in antithetic pairs (each drawn permutation and its reverse,
 * which cuts the variance) from a {@link SplittableRandom} seeded with the given seed, so
 * the same row, model, background, sample count and seed give the same answer. When the
 * requested count is at least {@code m!} (m features), every permutation is evaluated
 * once instead and the values are the exact Shapley values for that background.
 *
 * <p>
 * The model is evaluated in batches: all hybrid rows of one permutation and a block of
 * background rows in one call; {@code f(x)} and {@code f(b)} once per row explained.
 */
public final class SamplingShapley {

	/** Most encoded values in one batch of hybrid rows (8 MB of doubles). */
	static final int MAX_BATCH_VALUES = 1 << 20;

	private SamplingShapley() {
	}

	/**
	 * What explaining one row costs before it is computed.
	 *
	 * @param samples the permutations that will be evaluated: the requested count, or
	 * {@code m!} when that is smaller (exhaustive)
	 * @param exhaustive every permutation is evaluated once: exact Shapley values
	 * @param evaluations model evaluations (rows predicted) for one explained row:
	 * {@code 1 + B + samples * (m - 1) * B} for m features of positive width and B
	 * background rows
	 */
	public record Plan(int samples, boolean exhaustive, long evaluations) {
	}

	/**
	 * One row's explanation.
	 *
	 * @param score the model's score f(x) of the explained output
	 * @param base the mean score over the background rows
	 * @param contributions one per feature (widths order), summing to score - base
	 * @param samples permutations evaluated
	 * @param exhaustive whether they were all m! permutations
	 * @param backgroundRows background rows used
	 * @param evaluations model evaluations made
	 */
	public record Result(double score, double base, double[] contributions, int samples, boolean exhaustive,
			int backgroundRows, long evaluations) {
	}

	/**
	 * The cost of explaining one row with features of these encoded widths against
	 * backgroundRows rows with the requested number of permutations.
	 */
	public static Plan plan(int[] widths, int backgroundRows, int requestedSamples) {
		Objects.requireNonNull(widths, "widths");
		if (requestedSamples < 1) {
			throw new IllegalArgumentException("samples must be >= 1, got " + requestedSamples);
		}
		if (backgroundRows < 1) {
			throw new IllegalArgumentException("need at least one background row");
		}
		int players = 0;
		for (int w : widths) {
			if (w < 0) {
				throw new IllegalArgumentException("negative width " + w);
			}
			if (w > 0) {
				players++;
			}
		}
		long factorial = factorialUpTo(players, requestedSamples);
		boolean exhaustive = factorial <= requestedSamples;
		int samples = exhaustive ? (int) factorial : requestedSamples;
		long perSample = (long) Math.max(0, players - 1) * backgroundRows;
		long evaluations = 1 + backgroundRows + samples * perSample;
		return new Plan(samples, exhaustive, evaluations);
	}

	/** n!, or limit + 1 as soon as it passes limit. */
	private static long factorialUpTo(int n, long limit) {
		long f = 1;
		for (int i = 2; i <= n; i++) {
			f *= i;
			if (f > limit) {
				return limit + 1;
			}
		}
		return f;
	}

	/**
	 * Explains output {@code output} of the model for the encoded row x.
	 * @param model predicts encoded rows: one array of outputs per row (class
	 * probabilities, or {value})
	 * @param widths encoded columns of each original feature, in column order (their sum
	 * is x.length)
	 * @param background encoded rows, each as long as x
	 * @param samples permutations requested (see {@link #plan})
	 */
	public static Result explain(Function<double[][], double[][]> model, int output, double[] x, double[][] background,
			int[] widths, int samples, long seed) {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(x, "x");
		Objects.requireNonNull(background, "background");
		Plan plan = plan(widths, background.length, samples);
		int width = 0;
		int players = 0;
		for (int w : widths) {
			width += w;
			if (w > 0) {
				players++;
			}
		}
		if (width != x.length) {
			throw new IllegalArgumentException("the widths add up to " + width + " but the row has " + x.length);
		}
		for (double[] b : background) {
			if (b == null || b.length != width) {
				throw new IllegalArgumentException("every background row must have " + width + " values");
			}
		}
		// the players: offset and width of each feature of positive width
		int[] feature = new int[players];
		int[] offset = new int[players];
		int[] span = new int[players];
		for (int f = 0, p = 0, o = 0; f < widths.length; o += widths[f], f++) {
			if (widths[f] > 0) {
				feature[p] = f;
				offset[p] = o;
				span[p] = widths[f];
				p++;
			}
		}
		int rows = background.length;
		// f(x) and f(b): shared by every permutation, so the chains telescope exactly
		double[][] ends = new double[rows + 1][];
		ends[0] = x;
		System.arraycopy(background, 0, ends, 1, rows);
		double[][] endScores = model.apply(ends);
		if (endScores == null || endScores.length != rows + 1) {
			throw new IllegalArgumentException("the model returned the wrong number of rows");
		}
		double fx = value(endScores[0], output);
		double[] fb = new double[rows];
		double base = 0;
		for (int b = 0; b < rows; b++) {
			fb[b] = value(endScores[b + 1], output);
			base += fb[b];
		}
		base /= rows;
		double[] sums = new double[players];
		Chains chains = new Chains(model, output, x, background, offset, span, fx, fb, sums);
		if (plan.exhaustive()) {
			int[] permutation = identity(players);
			do {
				chains.run(permutation);
			}
			while (nextPermutation(permutation));
		}
		else {
			SplittableRandom random = new SplittableRandom(seed);
			int[] permutation = identity(players);
			int[] reversed = new int[players];
			for (int s = 0; s < plan.samples(); s += 2) {
				shuffle(permutation, random);
				chains.run(permutation);
				if (s + 1 < plan.samples()) {
					for (int i = 0; i < players; i++) {
						reversed[i] = permutation[players - 1 - i];
					}
					chains.run(reversed);
				}
			}
		}
		double[] contributions = new double[widths.length];
		double scale = (double) plan.samples() * rows;
		for (int p = 0; p < players; p++) {
			contributions[feature[p]] = sums[p] / scale;
		}
		return new Result(fx, base, contributions, plan.samples(), plan.exhaustive(), rows,
				rows + 1 + chains.evaluations);
	}

	private static double value(double[] outputs, int output) {
		if (outputs == null || output < 0 || output >= outputs.length) {
			throw new IllegalArgumentException("output " + output + " out of range for the model's outputs");
		}
		return outputs[output];
	}

	/**
	 * Evaluates permutations: the hybrid rows of a block of background rows in one model
	 * call, reusing one batch buffer.
	 */
	private static final class Chains {

		private final Function<double[][], double[][]> model;

		private final int output;

		private final double[] x;

		private final double[][] background;

		private final int[] offset;

		private final int[] span;

		private final double fx;

		private final double[] fb;

		private final double[] sums;

		private final int inner;

		private final int block;

		private final double[][] batch;

		private long evaluations;

		Chains(Function<double[][], double[][]> model, int output, double[] x, double[][] background, int[] offset,
				int[] span, double fx, double[] fb, double[] sums) {
			this.model = model;
			this.output = output;
			this.x = x;
			this.background = background;
			this.offset = offset;
			this.span = span;
			this.fx = fx;
			this.fb = fb;
			this.sums = sums;
			// the chain's inner rows z_1 .. z_(m-1); z_0 = b and z_m = x are known
			this.inner = Math.max(0, offset.length - 1);
			int perBackground = Math.max(1, this.inner * Math.max(1, x.length));
			this.block = (this.inner == 0) ? background.length
					: Math.max(1, Math.min(background.length, MAX_BATCH_VALUES / perBackground));
			int batchRows = this.inner * this.block;
			this.batch = new double[batchRows][];
			for (int r = 0; r < batchRows; r++) {
				this.batch[r] = new double[x.length];
			}
		}

		void run(int[] permutation) {
			int players = permutation.length;
			if (players == 0) {
				return;
			}
			if (this.inner == 0) {
				// one feature: it takes the whole difference
				for (double b : this.fb) {
					this.sums[permutation[0]] += this.fx - b;
				}
				return;
			}
			int rows = this.background.length;
			for (int from = 0; from < rows; from += this.block) {
				int to = Math.min(rows, from + this.block);
				int used = (to - from) * this.inner;
				for (int b = from; b < to; b++) {
					int base = (b - from) * this.inner;
					double[] previous = this.background[b];
					for (int k = 0; k < this.inner; k++) {
						double[] row = this.batch[base + k];
						System.arraycopy(previous, 0, row, 0, row.length);
						int p = permutation[k];
						System.arraycopy(this.x, this.offset[p], row, this.offset[p], this.span[p]);
						previous = row;
					}
				}
				double[][] input = (used == this.batch.length) ? this.batch : java.util.Arrays.copyOf(this.batch, used);
				double[][] out = this.model.apply(input);
				if (out == null || out.length != used) {
					throw new IllegalArgumentException("the model returned the wrong number of rows");
				}
				this.evaluations += used;
				for (int b = from; b < to; b++) {
					int base = (b - from) * this.inner;
					double previous = this.fb[b];
					for (int k = 0; k < this.inner; k++) {
						double v = value(out[base + k], this.output);
						this.sums[permutation[k]] += v - previous;
						previous = v;
					}
					this.sums[permutation[players - 1]] += this.fx - previous;
				}
			}
		}

	}

	private static int[] identity(int n) {
		int[] p = new int[n];
		for (int i = 0; i < n; i++) {
			p[i] = i;
		}
		return p;
	}

	/** Fisher-Yates from the identity, so each draw depends on the seed only. */
	private static void shuffle(int[] permutation, SplittableRandom random) {
		for (int i = 0; i < permutation.length; i++) {
			permutation[i] = i;
		}
		for (int i = permutation.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = permutation[i];
			permutation[i] = permutation[j];
			permutation[j] = t;
		}
	}

	/** The next permutation in lexicographic order; false after the last. */
	private static boolean nextPermutation(int[] p) {
		int i = p.length - 2;
		while (i >= 0 && p[i] >= p[i + 1]) {
			i--;
		}
		if (i < 0) {
			return false;
		}
		int j = p.length - 1;
		while (p[j] <= p[i]) {
			j--;
		}
		int t = p[i];
		p[i] = p[j];
		p[j] = t;
		for (int a = i + 1, b = p.length - 1; a < b; a++, b--) {
			t = p[a];
			p[a] = p[b];
			p[b] = t;
		}
		return true;
	}

}
