package io.fitserve.ml.trees;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.fitserve.ml.trees.Binner.BinnedData;

/**
 * Random forest with scikit-learn RandomForestClassifier/Regressor semantics: bootstrap
 * rows per tree, depth-first trees grown to purity (by default), a random subset of
 * features tried at each split, Gini impurity (classification, leaves hold class
 * probabilities) or squared error (regression, leaves hold means). The split search runs
 * on the same quantile bins as gradient boosting (up to 255 per feature) instead of exact
 * sorted values; a numeric threshold is placed at the bin edge half-way (in bins) between
 * the two nearest occupied bins. Missing values go to the better side of each split (to
 * the side with more rows when the node saw none); categorical features split on a subset
 * of codes found by ordering the node's categories by mean target (binary / regression)
 * or by the share of the node's majority class (multiclass).
 *
 * <p>
 * Trees are trained in parallel; tree t draws from its own {@link SplittableRandom}
 * seeded from (seed, t), so the model is bit-identical for any thread count.
 */
public final class RandomForestTrainer {

	private RandomForestTrainer() {
	}

	/**
	 * Trains a random forest.
	 * @param params parameters ({@link RandomForestParams#classifierDefaults()} or
	 * {@link RandomForestParams#regressorDefaults()})
	 * @param kinds which features are categorical
	 * @param train training data (y = class index for classification)
	 * @param numClasses classes (>= 2) for classification, 0 for regression
	 * @param listener progress after each finished tree and cancellation, polled before
	 * each tree starts; both are called from worker threads (one at a time); null = none
	 * @throws CancellationException when the listener reports cancellation
	 */
	public static TreeEnsemble fit(RandomForestParams params, FeatureKinds kinds, TreeDataset train, int numClasses,
			TreeTrainingListener listener) {
		int features = train.features();
		if (kinds.size() != features) {
			throw new IllegalArgumentException("FeatureKinds has " + kinds.size() + " features, data " + features);
		}
		GradientBoostingTrainer.checkTargets((numClasses > 0) ? TreeLoss.LOG_LOSS : TreeLoss.SQUARED_ERROR, train,
				numClasses);
		TreeTrainingListener lis = (listener != null) ? listener : TreeTrainingListener.NONE;
		Object lock = new Object();
		AtomicBoolean cancelled = new AtomicBoolean();
		int[] done = { 0 };
		try (Parallel par = new Parallel(Parallel.defaultThreads(params.threads()))) {
			Binner binner = Binner.fit(train.columns(), kinds, params.maxBins(), params.seed());
			BinnedData data = binner.transform(train.columns(), par);
			Tree[] trees = new Tree[params.nEstimators()];
			par.forEach(params.nEstimators(), true, (t) -> {
				if (cancelled.get()) {
					return;
				}
				synchronized (lock) {
					if (lis.cancelled()) {
						cancelled.set(true);
						return;
					}
				}
				trees[t] = new Grower(params, binner, data, train, numClasses, t).grow();
				synchronized (lock) {
					done[0]++;
					lis.onIteration(done[0], Double.NaN, Double.NaN);
				}
			});
			if (cancelled.get()) {
				throw new CancellationException("random forest cancelled after " + done[0] + " trees");
			}
			int outputs = (numClasses > 0) ? numClasses : 1;
			return new TreeEnsemble(EnsembleKind.RANDOM_FOREST,
					(numClasses > 0) ? TreeLoss.LOG_LOSS : TreeLoss.SQUARED_ERROR, features, numClasses, outputs,
					new double[outputs], List.of(trees), kinds.categorical().clone(), binner.knownCategories(),
					trees.length, trees.length, new double[0], new double[0]);
		}
	}

	/** The random stream of tree t. */
	static SplittableRandom treeRandom(long seed, int tree) {
		// hash (seed, tree) so that the trees' streams do not overlap
		// (SplittableRandom(s)
		// for s = a + k * golden would be shifted copies of one stream)
		return new SplittableRandom(mix64(mix64(seed) + tree));
	}

	/** Stafford's mix13 finalizer. */
	static long mix64(long z) {
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	/** Grows one tree. */
	static final class Grower {

		final RandomForestParams p;

		final Binner binner;

		final byte[][] bins;

		final int missing;

		final double[] y;

		final int k;

		final boolean classification;

		final int width;

		final SplittableRandom rng;

		final int[] idx;

		final int[] tmp;

		final double[] w;

		final int features;

		final int mtry;

		// per-feature sparse histogram
		final int[] hc;

		final double[] hw;

		final int[] touched;

		final int[] featOrder;

		// output arrays, grown as needed
		int count;

		int[] feature = new int[64];

		double[] threshold = new double[64];

		boolean[] missingLeft = new boolean[64];

		int[] left = new int[64];

		int[] right = new int[64];

		long[][] cats = new long[64][];

		double[] value;

		double[] cover = new double[64];

		double[] gain = new double[64];

		int rows;

		Grower(RandomForestParams p, Binner binner, BinnedData data, TreeDataset train, int numClasses, int tree) {
			this.p = p;
			this.binner = binner;
			this.bins = data.bins();
			this.missing = data.missingBin();
			this.y = train.y();
			this.classification = numClasses > 0;
			this.k = this.classification ? numClasses : 1;
			this.width = this.classification ? numClasses : 2;
			this.features = this.bins.length;
			this.mtry = p.featuresPerSplit(this.features);
			this.rng = treeRandom(p.seed(), tree);
			int n = data.rows();
			this.w = new double[n];
			this.idx = new int[n];
			this.tmp = new int[n];
			int m = 0;
			if (p.bootstrap()) {
				int[] counts = new int[n];
				for (int i = 0; i < n; i++) {
					counts[this.rng.nextInt(n)]++;
				}
				for (int r = 0; r < n; r++) {
					double wr = counts[r] * train.weight(r);
					if (wr > 0) {
						this.w[r] = wr;
						this.idx[m++] = r;
					}
				}
			}
			else {
				for (int r = 0; r < n; r++) {
					double wr = train.weight(r);
					if (wr > 0) {
						this.w[r] = wr;
						this.idx[m++] = r;
					}
				}
			}
			this.rows = m;
			this.hc = new int[this.missing + 1];
			this.hw = new double[(this.missing + 1) * this.width];
			this.touched = new int[this.missing + 1];
			this.featOrder = new int[this.features];
			this.value = new double[64 * this.k];
		}

		Tree grow() {
			if (this.rows == 0) {
				throw new IllegalArgumentException("no rows with positive weight");
			}
			build(0, this.rows, 0);
			int c = this.count;
			long[][] catsOut = Arrays.copyOf(this.cats, c);
			return new Tree(Arrays.copyOf(this.feature, c), Arrays.copyOf(this.threshold, c),
					Arrays.copyOf(this.missingLeft, c), Arrays.copyOf(this.left, c), Arrays.copyOf(this.right, c),
					catsOut, this.k, Arrays.copyOf(this.value, c * this.k), Arrays.copyOf(this.cover, c),
					Arrays.copyOf(this.gain, c));
		}

		private int newNode() {
			if (this.count == this.feature.length) {
				int cap = this.count * 2;
				this.feature = Arrays.copyOf(this.feature, cap);
				this.threshold = Arrays.copyOf(this.threshold, cap);
				this.missingLeft = Arrays.copyOf(this.missingLeft, cap);
				this.left = Arrays.copyOf(this.left, cap);
				this.right = Arrays.copyOf(this.right, cap);
				this.cats = Arrays.copyOf(this.cats, cap);
				this.value = Arrays.copyOf(this.value, cap * this.k);
				this.cover = Arrays.copyOf(this.cover, cap);
				this.gain = Arrays.copyOf(this.gain, cap);
			}
			return this.count++;
		}

		private int build(int start, int end, int depth) {
			int id = newNode();
			int n = end - start;
			double wsum = 0;
			double[] cw = new double[this.k];
			double s = 0;
			double ss = 0;
			for (int i = start; i < end; i++) {
				int r = this.idx[i];
				double wr = this.w[r];
				wsum += wr;
				if (this.classification) {
					cw[(int) this.y[r]] += wr;
				}
				else {
					s += wr * this.y[r];
					ss += wr * this.y[r] * this.y[r];
				}
			}
			this.cover[id] = wsum;
			double impurity;
			double parentProxy;
			int major = 0;
			if (this.classification) {
				double sq = 0;
				for (int c = 0; c < this.k; c++) {
					this.value[id * this.k + c] = cw[c] / wsum;
					sq += cw[c] * cw[c];
					if (cw[c] > cw[major]) {
						major = c;
					}
				}
				impurity = 1 - sq / (wsum * wsum);
				parentProxy = sq / wsum;
			}
			else {
				double mean = s / wsum;
				this.value[id] = mean;
				impurity = ss / wsum - mean * mean;
				parentProxy = s * s / wsum;
			}
			this.feature[id] = -1;
			this.left[id] = -1;
			this.right[id] = -1;
			boolean leaf = n < this.p.minSamplesSplit() || n < 2 * this.p.minSamplesLeaf()
					|| (this.p.maxDepth() > 0 && depth >= this.p.maxDepth())
					|| impurity <= (this.classification ? 1e-12 : 1e-10 * Math.max(1, ss / wsum));
			if (leaf) {
				return id;
			}
			Candidate best = findSplit(start, end, major);
			if (best == null) {
				return id;
			}
			// partition
			byte[] col = this.bins[best.feature];
			int l = start;
			int rc = 0;
			for (int i = start; i < end; i++) {
				int r = this.idx[i];
				int b = col[r] & 0xFF;
				boolean goLeft;
				if (b == this.missing) {
					goLeft = best.missingLeft;
				}
				else if (best.cats != null) {
					goLeft = Tree.inBitset(best.cats, b);
				}
				else {
					goLeft = b <= best.bin;
				}
				if (goLeft) {
					this.idx[l++] = r;
				}
				else {
					this.tmp[rc++] = r;
				}
			}
			System.arraycopy(this.tmp, 0, this.idx, l, rc);
			boolean missingLeftFinal = best.sawMissing ? best.missingLeft : (l - start) > rc;
			this.feature[id] = best.feature;
			this.missingLeft[id] = missingLeftFinal;
			this.gain[id] = Math.max(0, best.proxy - parentProxy);
			if (best.cats != null) {
				this.cats[id] = best.cats;
				this.threshold[id] = Double.NaN;
			}
			else {
				this.threshold[id] = best.threshold;
			}
			int leftId = build(start, l, depth + 1);
			int rightId = build(l, end, depth + 1);
			this.left[id] = leftId;
			this.right[id] = rightId;
			return id;
		}

		private Candidate findSplit(int start, int end, int major) {
			for (int f = 0; f < this.features; f++) {
				this.featOrder[f] = f;
			}
			int remaining = this.features;
			int visited = 0;
			boolean anyNonConstant = false;
			Candidate best = null;
			while (remaining > 0 && (visited < this.mtry || !anyNonConstant)) {
				int j = this.rng.nextInt(remaining);
				int f = this.featOrder[j];
				this.featOrder[j] = this.featOrder[remaining - 1];
				this.featOrder[remaining - 1] = f;
				remaining--;
				visited++;
				int t = histogram(f, start, end);
				if (t <= 1) {
					clear(t);
					continue;
				}
				anyNonConstant = true;
				Candidate c = this.binner.categorical(f) ? scanCategorical(f, t, end - start, major)
						: scanNumeric(f, t, end - start);
				clear(t);
				if (c != null && (best == null || c.proxy > best.proxy)) {
					best = c;
				}
			}
			return best;
		}

		private int histogram(int f, int start, int end) {
			byte[] col = this.bins[f];
			int t = 0;
			int wd = this.width;
			for (int i = start; i < end; i++) {
				int r = this.idx[i];
				int b = col[r] & 0xFF;
				if (this.hc[b]++ == 0) {
					this.touched[t++] = b;
				}
				double wr = this.w[r];
				if (this.classification) {
					this.hw[b * wd + (int) this.y[r]] += wr;
				}
				else {
					this.hw[b * wd] += wr;
					this.hw[b * wd + 1] += wr * this.y[r];
				}
			}
			Arrays.sort(this.touched, 0, t);
			return t;
		}

		private void clear(int t) {
			int wd = this.width;
			for (int i = 0; i < t; i++) {
				int b = this.touched[i];
				this.hc[b] = 0;
				Arrays.fill(this.hw, b * wd, b * wd + wd, 0.0);
			}
		}

		/**
		 * proxy = sum over children of (sum of squared class weights or sums) / weight.
		 */
		private double proxy(double[] l, double[] total, double[] scratch) {
			double pl;
			double pr;
			if (this.classification) {
				double wl = 0;
				double sl = 0;
				double wr = 0;
				double sr = 0;
				for (int c = 0; c < this.k; c++) {
					double a = l[c];
					double b = total[c] - a;
					wl += a;
					sl += a * a;
					wr += b;
					sr += b * b;
				}
				if (wl <= 0 || wr <= 0) {
					return Double.NEGATIVE_INFINITY;
				}
				pl = sl / wl;
				pr = sr / wr;
			}
			else {
				double wl = l[0];
				double wr = total[0] - wl;
				if (wl <= 0 || wr <= 0) {
					return Double.NEGATIVE_INFINITY;
				}
				double sumL = l[1];
				double sumR = total[1] - sumL;
				pl = sumL * sumL / wl;
				pr = sumR * sumR / wr;
			}
			return pl + pr;
		}

		private void add(double[] acc, int bin) {
			int base = bin * this.width;
			for (int c = 0; c < this.width; c++) {
				acc[c] += this.hw[base + c];
			}
		}

		private Candidate scanNumeric(int f, int t, int n) {
			int wd = this.width;
			boolean sawMissing = this.touched[t - 1] == this.missing;
			int nm = sawMissing ? t - 1 : t;
			double[] total = new double[wd];
			for (int i = 0; i < t; i++) {
				add(total, this.touched[i]);
			}
			double[] miss = new double[wd];
			int missCount = 0;
			if (sawMissing) {
				add(miss, this.missing);
				missCount = this.hc[this.missing];
			}
			double[] cum = new double[wd];
			double[] withMiss = new double[wd];
			int cl = 0;
			int minLeaf = this.p.minSamplesLeaf();
			double bestProxy = Double.NEGATIVE_INFINITY;
			int bestI = -1;
			boolean bestMissingLeft = false;
			int last = sawMissing ? nm : nm - 1;
			for (int i = 0; i < last; i++) {
				int b = this.touched[i];
				add(cum, b);
				cl += this.hc[b];
				// missing right
				if (cl >= minLeaf && n - cl >= minLeaf) {
					double pr = proxy(cum, total, null);
					if (pr > bestProxy) {
						bestProxy = pr;
						bestI = i;
						bestMissingLeft = false;
					}
				}
				if (sawMissing && i < nm - 1) {
					int clm = cl + missCount;
					if (clm >= minLeaf && n - clm >= minLeaf) {
						for (int c = 0; c < wd; c++) {
							withMiss[c] = cum[c] + miss[c];
						}
						double pr = proxy(withMiss, total, null);
						if (pr > bestProxy) {
							bestProxy = pr;
							bestI = i;
							bestMissingLeft = true;
						}
					}
				}
			}
			if (bestI < 0) {
				return null;
			}
			Candidate c = new Candidate();
			c.feature = f;
			c.proxy = bestProxy;
			c.missingLeft = bestMissingLeft;
			c.sawMissing = sawMissing;
			c.bin = this.touched[bestI];
			if (bestI == nm - 1) {
				// all non-missing values left, missing right
				c.bin = this.missing - 1;
				c.threshold = Double.POSITIVE_INFINITY;
			}
			else {
				int next = this.touched[bestI + 1];
				c.threshold = this.binner.upperEdge(f, (c.bin + next - 1) / 2);
			}
			return c;
		}

		private Candidate scanCategorical(int f, int t, int n, int major) {
			int wd = this.width;
			boolean sawMissing = this.touched[t - 1] == this.missing;
			double[] total = new double[wd];
			double[] keys = new double[t];
			for (int i = 0; i < t; i++) {
				int b = this.touched[i];
				add(total, b);
				int base = b * wd;
				if (this.classification) {
					double wb = 0;
					for (int c = 0; c < this.k; c++) {
						wb += this.hw[base + c];
					}
					int cls = (this.k == 2) ? 1 : major;
					keys[i] = this.hw[base + cls] / wb;
				}
				else {
					keys[i] = this.hw[base + 1] / this.hw[base];
				}
			}
			int[] order = new int[t];
			for (int i = 0; i < t; i++) {
				int j = i;
				while (j > 0 && keys[order[j - 1]] > keys[i]) {
					order[j] = order[j - 1];
					j--;
				}
				order[j] = i;
			}
			double[] cum = new double[wd];
			int cl = 0;
			int minLeaf = this.p.minSamplesLeaf();
			double bestProxy = Double.NEGATIVE_INFINITY;
			int bestI = -1;
			for (int i = 0; i < t - 1; i++) {
				int b = this.touched[order[i]];
				add(cum, b);
				cl += this.hc[b];
				if (cl >= minLeaf && n - cl >= minLeaf) {
					double pr = proxy(cum, total, null);
					if (pr > bestProxy) {
						bestProxy = pr;
						bestI = i;
					}
				}
			}
			if (bestI < 0) {
				return null;
			}
			Candidate c = new Candidate();
			c.feature = f;
			c.proxy = bestProxy;
			c.sawMissing = sawMissing;
			c.cats = new long[(this.binner.nonMissingBins(f) + 63) >>> 6];
			for (int i = 0; i <= bestI; i++) {
				int b = this.touched[order[i]];
				if (b == this.missing) {
					c.missingLeft = true;
				}
				else {
					c.cats[b >>> 6] |= 1L << b;
				}
			}
			return c;
		}

	}

	static final class Candidate {

		int feature;

		double proxy;

		int bin;

		double threshold;

		boolean missingLeft;

		boolean sawMissing;

		long[] cats;

	}

}
