package io.fitserve.ml.trees;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

import io.fitserve.ml.trees.Binner.BinnedData;

/**
 * Histogram-based gradient boosting with scikit-learn 1.2 HistGradientBoosting semantics:
 * quantile binning, best-first (leaf-wise) trees grown on gradient/hessian histograms
 * with the subtraction trick, missing values sent to the better side of each split,
 * native categorical splits (categories ordered by gradient/hessian), L2 on leaf values,
 * optional row subsampling and per-tree feature subsampling, and early stopping on a
 * validation set.
 *
 * <p>
 * Deterministic: the same data, parameters and seed give a bit-identical model for any
 * thread count (each feature's histogram is summed by one thread in row order; all random
 * draws happen on the calling thread).
 */
public final class GradientBoostingTrainer {

	static final double EPS = 1e-15;

	/** Relative gain difference below which two features' best splits count as tied. */
	static final double TIE_TOLERANCE = 1e-9;

	/** scikit-learn's MIN_CAT_SUPPORT (cat_smooth): categories below it go right. */
	static final double MIN_CAT_SUPPORT = 10.0;

	/**
	 * scikit-learn's MAX_CAT_THRESHOLD: at most this many categories scanned per side.
	 */
	static final int MAX_CAT_THRESHOLD = 32;

	private GradientBoostingTrainer() {
	}

	/**
	 * Trains a gradient boosting model.
	 * @param params parameters ({@link GradientBoostingParams#defaults})
	 * @param kinds which features are categorical
	 * @param train training data
	 * @param validation validation data for early stopping and the validation loss, or
	 * null
	 * @param numClasses classes for {@link TreeLoss#LOG_LOSS} (>= 2), 0 for regression
	 * losses
	 * @param listener progress and cancellation (null = none)
	 * @return the model; with validation data and early stopping it keeps the iterations
	 * up to the best validation loss (see {@link GradientBoostingParams#restoreBest})
	 * @throws CancellationException when {@link TreeTrainingListener#cancelled()} returns
	 * true (checked before every iteration)
	 */
	public static TreeEnsemble fit(GradientBoostingParams params, FeatureKinds kinds, TreeDataset train,
			TreeDataset validation, int numClasses, TreeTrainingListener listener) {
		TreeLoss loss = params.loss();
		int n = train.rows();
		int features = train.features();
		if (kinds.size() != features) {
			throw new IllegalArgumentException("FeatureKinds has " + kinds.size() + " features, data " + features);
		}
		checkTargets(loss, train, numClasses);
		if (validation != null) {
			if (validation.features() != features) {
				throw new IllegalArgumentException("validation data has a different feature count");
			}
			checkTargets(loss, validation, numClasses);
		}
		TreeTrainingListener lis = (listener != null) ? listener : TreeTrainingListener.NONE;
		int outputs = (loss == TreeLoss.LOG_LOSS && numClasses > 2) ? numClasses : 1;
		double[] y = train.y();
		double[] w = train.sampleWeights();
		try (Parallel par = new Parallel(Parallel.defaultThreads(params.threads()))) {
			Binner binner = Binner.fit(train.columns(), kinds, params.maxBins(), params.seed());
			BinnedData tb = binner.transform(train.columns(), par);
			BinnedData vb = (validation != null) ? binner.transform(validation.columns(), par) : null;
			double[] baseline = baseline(loss, y, w, outputs, numClasses);
			double[][] raw = new double[outputs][n];
			for (int k = 0; k < outputs; k++) {
				Arrays.fill(raw[k], baseline[k]);
			}
			double[][] rawV = null;
			if (vb != null) {
				rawV = new double[outputs][validation.rows()];
				for (int k = 0; k < outputs; k++) {
					Arrays.fill(rawV[k], baseline[k]);
				}
			}
			double[][] grad = new double[outputs][n];
			double[][] hess = new double[outputs][n];
			Grower grower = new Grower(tb.bins(), binner, params, par, n, w);
			SplittableRandom rng = new SplittableRandom(params.seed());
			List<Tree> trees = new ArrayList<>();
			List<Double> trainLosses = new ArrayList<>();
			List<Double> valLosses = new ArrayList<>();
			boolean earlyStopping = vb != null && params.earlyStoppingRounds() > 0;
			double[] huberDelta = { Double.NaN };
			if (loss == TreeLoss.HUBER) {
				huberDelta[0] = huberDelta(y, raw[0], w, null);
			}
			if (vb != null) {
				valLosses.add(lossValue(loss, validation.y(), rawV, validation.sampleWeights(), huberDelta[0]));
			}
			int[] perm = new int[n];
			int[] featPerm = new int[features];
			int run = 0;
			for (int it = 0; it < params.nEstimators(); it++) {
				if (lis.cancelled()) {
					throw new CancellationException("gradient boosting cancelled after " + it + " iterations");
				}
				int[] rows = sample(rng, perm, n, params.subsample());
				if (loss == TreeLoss.HUBER) {
					huberDelta[0] = huberDelta(y, raw[0], w, rows);
				}
				computeGradients(loss, y, w, raw, grad, hess, huberDelta[0], par);
				boolean[] inSample = null;
				if (rows != null) {
					inSample = new boolean[n];
					for (int r : rows) {
						inSample[r] = true;
					}
				}
				for (int k = 0; k < outputs; k++) {
					int[] feats = sample(rng, featPerm, features, params.colsampleByTree());
					if (feats == null) {
						feats = identity(features);
					}
					GrownTree gt = grower.grow(grad[k], hess[k], rows, feats);
					if (loss == TreeLoss.ABSOLUTE_ERROR || loss == TreeLoss.HUBER) {
						grower.updateLeavesForQuantileLoss(gt, loss, y, raw[k], huberDelta[0]);
					}
					Tree tree = grower.toTree(gt);
					double[] rk = raw[k];
					for (Node leaf : gt.leaves) {
						double v = leaf.value * params.learningRate();
						for (int i = leaf.start; i < leaf.end; i++) {
							rk[grower.idx[i]] += v;
						}
					}
					if (inSample != null) {
						boolean[] in = inSample;
						par.forRows(n, (from, to) -> {
							for (int r = from; r < to; r++) {
								if (!in[r]) {
									rk[r] += tree.value()[binnedLeaf(tree, gt.binThreshold, tb.bins(), r,
											tb.missingBin())];
								}
							}
						});
					}
					if (rawV != null) {
						double[] rv = rawV[k];
						par.forRows(rv.length, (from, to) -> {
							for (int r = from; r < to; r++) {
								rv[r] += tree.value()[binnedLeaf(tree, gt.binThreshold, vb.bins(), r, vb.missingBin())];
							}
						});
					}
					trees.add(tree);
				}
				run++;
				double trainLoss = lossValue(loss, y, raw, w, huberDelta[0]);
				trainLosses.add(trainLoss);
				double valLoss = Double.NaN;
				if (rawV != null) {
					valLoss = lossValue(loss, validation.y(), rawV, validation.sampleWeights(), huberDelta[0]);
					valLosses.add(valLoss);
				}
				lis.onIteration(run, trainLoss, valLoss);
				if (earlyStopping && shouldStop(valLosses, params.earlyStoppingRounds(), params.tol())) {
					break;
				}
			}
			int kept = run;
			if (earlyStopping && params.restoreBest()) {
				int best = 0;
				for (int i = 1; i < valLosses.size(); i++) {
					if (valLosses.get(i) < valLosses.get(best)) {
						best = i;
					}
				}
				kept = best;
			}
			List<Tree> keptTrees = List.copyOf(trees.subList(0, kept * outputs));
			return new TreeEnsemble(EnsembleKind.GRADIENT_BOOSTING, loss, features,
					loss.classification() ? numClasses : 0, outputs, baseline, keptTrees, kinds.categorical().clone(),
					binner.knownCategories(), kept, run, toArray(trainLosses), toArray(valLosses));
		}
	}

	/**
	 * scikit-learn's rule (scoring="loss"): stop when none of the last {@code rounds}
	 * losses improves on the loss {@code rounds + 1} iterations back by more than
	 * {@code tol}.
	 */
	static boolean shouldStop(List<Double> losses, int rounds, double tol) {
		int ref = rounds + 1;
		if (losses.size() < ref) {
			return false;
		}
		double reference = -losses.get(losses.size() - ref) + tol;
		for (int i = losses.size() - ref + 1; i < losses.size(); i++) {
			if (-losses.get(i) > reference) {
				return false;
			}
		}
		return true;
	}

	static void checkTargets(TreeLoss loss, TreeDataset data, int numClasses) {
		if (data.y() == null) {
			throw new IllegalArgumentException("targets are required");
		}
		if (loss.classification()) {
			if (numClasses < 2) {
				throw new IllegalArgumentException("classification needs numClasses >= 2");
			}
			for (double v : data.y()) {
				if (!(v >= 0) || v >= numClasses || v != Math.rint(v)) {
					throw new IllegalArgumentException("class index " + v + " is not in 0.." + (numClasses - 1));
				}
			}
		}
		else {
			if (numClasses != 0) {
				throw new IllegalArgumentException("regression losses need numClasses = 0");
			}
			for (double v : data.y()) {
				if (!Double.isFinite(v)) {
					throw new IllegalArgumentException("regression targets must be finite");
				}
			}
		}
	}

	private static int[] identity(int n) {
		int[] a = new int[n];
		for (int i = 0; i < n; i++) {
			a[i] = i;
		}
		return a;
	}

	/** A sorted sample of floor(fraction * n) (>= 1) of 0..n-1, or null for all. */
	static int[] sample(SplittableRandom rng, int[] perm, int n, double fraction) {
		if (fraction >= 1.0) {
			return null;
		}
		int m = Math.max(1, (int) (fraction * n));
		for (int i = 0; i < n; i++) {
			perm[i] = i;
		}
		for (int i = 0; i < m; i++) {
			int j = i + rng.nextInt(n - i);
			int t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		int[] s = Arrays.copyOf(perm, m);
		Arrays.sort(s);
		return s;
	}

	private static double[] toArray(List<Double> values) {
		double[] a = new double[values.size()];
		for (int i = 0; i < a.length; i++) {
			a[i] = values.get(i);
		}
		return a;
	}

	static double[] baseline(TreeLoss loss, double[] y, double[] w, int outputs, int numClasses) {
		double[] b = new double[outputs];
		switch (loss) {
			case SQUARED_ERROR -> b[0] = weightedMean(y, w);
			case ABSOLUTE_ERROR, HUBER -> b[0] = median(y, w);
			case LOG_LOSS -> {
				double eps = Math.ulp(1.0);
				double[] prior = new double[numClasses];
				double total = 0;
				for (int r = 0; r < y.length; r++) {
					double wr = (w == null) ? 1 : w[r];
					prior[(int) y[r]] += wr;
					total += wr;
				}
				if (numClasses == 2) {
					double p = clip(prior[1] / total, 10 * eps, 1 - 10 * eps);
					b[0] = Math.log(p / (1 - p));
				}
				else {
					double mean = 0;
					for (int k = 0; k < numClasses; k++) {
						b[k] = Math.log(clip(prior[k] / total, eps, 1 - eps));
						mean += b[k];
					}
					mean /= numClasses;
					for (int k = 0; k < numClasses; k++) {
						b[k] -= mean;
					}
				}
			}
		}
		return b;
	}

	private static double clip(double v, double lo, double hi) {
		return Math.max(lo, Math.min(hi, v));
	}

	static double weightedMean(double[] y, double[] w) {
		double s = 0;
		double sw = 0;
		for (int r = 0; r < y.length; r++) {
			double wr = (w == null) ? 1 : w[r];
			s += wr * y[r];
			sw += wr;
		}
		return s / sw;
	}

	/** numpy.median without weights, scikit-learn's _weighted_percentile(50) with. */
	static double median(double[] values, double[] weights) {
		if (weights == null) {
			double[] s = values.clone();
			Arrays.sort(s);
			int m = s.length;
			return (m % 2 == 1) ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) * 0.5;
		}
		return weightedPercentile(values, weights, 50);
	}

	/** scikit-learn's {@code _weighted_percentile} (weights may be null = 1). */
	static double weightedPercentile(double[] values, double[] weights, double percentile) {
		int m = values.length;
		Integer[] order = new Integer[m];
		for (int i = 0; i < m; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
		double[] cdf = new double[m];
		double c = 0;
		for (int i = 0; i < m; i++) {
			c += (weights == null) ? 1 : weights[order[i]];
			cdf[i] = c;
		}
		double target = percentile / 100 * c;
		if (target == 0) {
			target = Math.nextUp(target);
		}
		int lo = 0;
		int hi = m;
		while (lo < hi) {
			int mid = (lo + hi) >>> 1;
			if (cdf[mid] < target) {
				lo = mid + 1;
			}
			else {
				hi = mid;
			}
		}
		return values[order[Math.min(lo, m - 1)]];
	}

	private static double huberDelta(double[] y, double[] raw, double[] w, int[] rows) {
		int m = (rows == null) ? y.length : rows.length;
		double[] abs = new double[m];
		double[] ws = (w == null) ? null : new double[m];
		for (int i = 0; i < m; i++) {
			int r = (rows == null) ? i : rows[i];
			abs[i] = Math.abs(y[r] - raw[r]);
			if (ws != null) {
				ws[i] = w[r];
			}
		}
		return weightedPercentile(abs, ws, 90);
	}

	private static void computeGradients(TreeLoss loss, double[] y, double[] w, double[][] raw, double[][] grad,
			double[][] hess, double delta, Parallel par) {
		int n = y.length;
		int outputs = raw.length;
		par.forRows(n, (from, to) -> {
			double[] p = new double[outputs];
			for (int r = from; r < to; r++) {
				double wr = (w == null) ? 1 : w[r];
				switch (loss) {
					case SQUARED_ERROR -> {
						grad[0][r] = wr * (raw[0][r] - y[r]);
						hess[0][r] = wr;
					}
					case ABSOLUTE_ERROR -> {
						grad[0][r] = wr * ((raw[0][r] > y[r]) ? 1.0 : -1.0);
						hess[0][r] = wr;
					}
					case HUBER -> {
						double diff = y[r] - raw[0][r];
						double ng = (Math.abs(diff) <= delta) ? diff : delta * Math.signum(diff);
						grad[0][r] = -wr * ng;
						hess[0][r] = wr;
					}
					case LOG_LOSS -> {
						if (outputs == 1) {
							double q = TreeEnsemble.sigmoid(raw[0][r]);
							grad[0][r] = wr * (q - y[r]);
							hess[0][r] = wr * q * (1 - q);
						}
						else {
							double max = Double.NEGATIVE_INFINITY;
							for (int k = 0; k < outputs; k++) {
								max = Math.max(max, raw[k][r]);
							}
							double s = 0;
							for (int k = 0; k < outputs; k++) {
								p[k] = Math.exp(raw[k][r] - max);
								s += p[k];
							}
							int yk = (int) y[r];
							for (int k = 0; k < outputs; k++) {
								double q = p[k] / s;
								grad[k][r] = wr * (q - ((k == yk) ? 1 : 0));
								hess[k][r] = wr * q * (1 - q);
							}
						}
					}
				}
			}
		});
	}

	/**
	 * The weighted mean loss (half squared error, absolute error, Huber with the current
	 * delta, or log loss) of raw scores.
	 */
	static double lossValue(TreeLoss loss, double[] y, double[][] raw, double[] w, double delta) {
		int n = y.length;
		double s = 0;
		double sw = 0;
		int outputs = raw.length;
		for (int r = 0; r < n; r++) {
			double wr = (w == null) ? 1 : w[r];
			double l;
			switch (loss) {
				case SQUARED_ERROR -> {
					double d = y[r] - raw[0][r];
					l = 0.5 * d * d;
				}
				case ABSOLUTE_ERROR -> l = Math.abs(y[r] - raw[0][r]);
				case HUBER -> {
					double d = Math.abs(y[r] - raw[0][r]);
					l = (d <= delta) ? 0.5 * d * d : delta * (d - delta / 2);
				}
				default -> {
					if (outputs == 1) {
						double z = raw[0][r];
						double log1pexp = (z > 0) ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
						l = log1pexp - y[r] * z;
					}
					else {
						double max = Double.NEGATIVE_INFINITY;
						for (int k = 0; k < outputs; k++) {
							max = Math.max(max, raw[k][r]);
						}
						double se = 0;
						for (int k = 0; k < outputs; k++) {
							se += Math.exp(raw[k][r] - max);
						}
						l = max + Math.log(se) - raw[(int) y[r]][r];
					}
				}
			}
			s += wr * l;
			sw += wr;
		}
		return s / sw;
	}

	/** The leaf a training/validation row reaches, following bins. */
	static int binnedLeaf(Tree tree, int[] binThreshold, byte[][] bins, int row, int missingBin) {
		int n = 0;
		int[] left = tree.left();
		while (left[n] >= 0) {
			int b = bins[tree.feature()[n]][row] & 0xFF;
			boolean goLeft;
			if (b == missingBin) {
				goLeft = tree.missingLeft()[n];
			}
			else if (tree.leftCategories()[n] != null) {
				goLeft = Tree.inBitset(tree.leftCategories()[n], b);
			}
			else {
				goLeft = b <= binThreshold[n];
			}
			n = goLeft ? left[n] : tree.right()[n];
		}
		return n;
	}

	static final class Node {

		int start;

		int end;

		double sumG;

		double sumH;

		int depth;

		int order;

		double[] hist;

		Split split;

		Node left;

		Node right;

		double value;

		int n() {
			return this.end - this.start;
		}

	}

	static final class Split {

		int feature;

		int bin;

		boolean missingLeft;

		boolean sawMissing;

		long[] cats;

		double gain;

		double gL;

		double hL;

	}

	static final class GrownTree {

		Node root;

		List<Node> leaves = new ArrayList<>();

		int[] binThreshold;

	}

	/** Grows one tree on the binned training data (reused across iterations). */
	static final class Grower {

		final byte[][] bins;

		final Binner binner;

		final GradientBoostingParams p;

		final Parallel par;

		final double[] w;

		final int n;

		final int features;

		final int missing;

		final int stride;

		final int[] idx;

		final int[] tmp;

		double[] g;

		double[] h;

		int[] feats;

		int order;

		Grower(byte[][] bins, Binner binner, GradientBoostingParams p, Parallel par, int n, double[] w) {
			this.bins = bins;
			this.binner = binner;
			this.p = p;
			this.par = par;
			this.n = n;
			this.w = w;
			this.features = bins.length;
			this.missing = binner.missingBin();
			this.stride = (this.missing + 1) * 3;
			this.idx = new int[n];
			this.tmp = new int[n];
		}

		GrownTree grow(double[] g, double[] h, int[] rows, int[] feats) {
			this.g = g;
			this.h = h;
			this.feats = feats;
			this.order = 0;
			int m;
			if (rows == null) {
				for (int i = 0; i < this.n; i++) {
					this.idx[i] = i;
				}
				m = this.n;
			}
			else {
				System.arraycopy(rows, 0, this.idx, 0, rows.length);
				m = rows.length;
			}
			GrownTree gt = new GrownTree();
			Node root = newNode(0, m, 0);
			double sg = 0;
			double sh = 0;
			for (int i = 0; i < m; i++) {
				sg += g[this.idx[i]];
				sh += h[this.idx[i]];
			}
			root.sumG = sg;
			root.sumH = sh;
			gt.root = root;
			PriorityQueue<Node> queue = new PriorityQueue<>((a, b) -> {
				int c = Double.compare(b.split.gain, a.split.gain);
				return (c != 0) ? c : Integer.compare(a.order, b.order);
			});
			if (m >= 2 * this.p.minSamplesLeaf() && sh >= this.p.minHessianLeaf()) {
				root.hist = buildHistogram(root);
				root.split = findSplit(root);
			}
			if (root.split != null) {
				queue.add(root);
			}
			int leaves = 1;
			while (!queue.isEmpty()) {
				Node node = queue.poll();
				splitNode(node);
				leaves++;
				Node l = node.left;
				Node r = node.right;
				boolean leftLeaf = false;
				boolean rightLeaf = false;
				if (this.p.maxLeaves() > 0 && leaves >= this.p.maxLeaves()) {
					node.hist = null;
					for (Node q : queue) {
						q.split = null;
						q.hist = null;
					}
					queue.clear();
					break;
				}
				if (this.p.maxDepth() > 0 && l.depth >= this.p.maxDepth()) {
					leftLeaf = true;
					rightLeaf = true;
				}
				if (l.n() < 2 * this.p.minSamplesLeaf()) {
					leftLeaf = true;
				}
				if (r.n() < 2 * this.p.minSamplesLeaf()) {
					rightLeaf = true;
				}
				if (!leftLeaf || !rightLeaf) {
					Node small = (l.n() < r.n()) ? l : r;
					Node large = (small == l) ? r : l;
					small.hist = buildHistogram(small);
					large.hist = subtract(node.hist, small.hist);
					if (!leftLeaf) {
						l.split = findSplit(l);
						if (l.split != null) {
							queue.add(l);
						}
					}
					if (!rightLeaf) {
						r.split = findSplit(r);
						if (r.split != null) {
							queue.add(r);
						}
					}
					if (l.split == null) {
						l.hist = null;
					}
					if (r.split == null) {
						r.hist = null;
					}
				}
				node.hist = null;
			}
			collectLeaves(root, gt.leaves);
			for (Node leaf : gt.leaves) {
				leaf.split = null;
				leaf.hist = null;
				leaf.value = -leaf.sumG / (leaf.sumH + this.p.l2() + EPS);
			}
			return gt;
		}

		private void collectLeaves(Node node, List<Node> out) {
			if (node.left == null) {
				out.add(node);
				return;
			}
			collectLeaves(node.left, out);
			collectLeaves(node.right, out);
		}

		private Node newNode(int start, int end, int depth) {
			Node node = new Node();
			node.start = start;
			node.end = end;
			node.depth = depth;
			node.order = this.order++;
			return node;
		}

		private double[] buildHistogram(Node node) {
			double[] hist = new double[this.features * this.stride];
			int s = node.start;
			int cnt = node.n();
			double[] og = new double[cnt];
			double[] oh = new double[cnt];
			int[] rows = new int[cnt];
			for (int i = 0; i < cnt; i++) {
				int r = this.idx[s + i];
				rows[i] = r;
				og[i] = this.g[r];
				oh[i] = this.h[r];
			}
			int[] fs = this.feats;
			this.par.forEach(fs.length, (long) cnt * fs.length >= 200_000, (j) -> {
				int f = fs[j];
				byte[] col = this.bins[f];
				int base = f * this.stride;
				for (int i = 0; i < cnt; i++) {
					int o = base + (col[rows[i]] & 0xFF) * 3;
					hist[o] += og[i];
					hist[o + 1] += oh[i];
					hist[o + 2] += 1;
				}
			});
			return hist;
		}

		private double[] subtract(double[] parent, double[] small) {
			double[] out = new double[parent.length];
			for (int f : this.feats) {
				int base = f * this.stride;
				for (int i = base; i < base + this.stride; i++) {
					out[i] = parent[i] - small[i];
				}
			}
			return out;
		}

		private Split findSplit(Node node) {
			Split best = null;
			for (int f : this.feats) {
				Split s = this.binner.categorical(f) ? categoricalSplit(node, f) : numericSplit(node, f);
				// a later feature must beat the best by more than rounding noise: splits
				// of equal
				// gain in exact arithmetic (often the same partition through two
				// features) go
				// to the lower feature index, as scikit-learn's strict comparison would
				if (s != null && (best == null || s.gain > best.gain + TIE_TOLERANCE * Math.abs(best.gain))) {
					best = s;
				}
			}
			return best;
		}

		private double gain(double gl, double hl, double gr, double hr, double g, double hsum) {
			double l2 = this.p.l2();
			return gl * gl / (hl + l2 + EPS) + gr * gr / (hr + l2 + EPS) - g * g / (hsum + l2 + EPS);
		}

		private Split numericSplit(Node node, int f) {
			double[] hist = node.hist;
			int base = f * this.stride;
			int nb = this.binner.nonMissingBins(f);
			double minLeaf = this.p.minSamplesLeaf();
			double minHess = this.p.minHessianLeaf();
			double total = node.n();
			double G = node.sumG;
			double H = node.sumH;
			boolean sawMissing = hist[base + this.missing * 3 + 2] > 0;
			double bestGain = 0;
			int bestBin = -1;
			boolean bestMissingLeft = false;
			double bestGL = 0;
			double bestHL = 0;
			double gl = 0;
			double hl = 0;
			double cl = 0;
			int end = nb - 1 + (sawMissing ? 1 : 0);
			for (int b = 0; b < end; b++) {
				int o = base + b * 3;
				gl += hist[o];
				hl += hist[o + 1];
				cl += hist[o + 2];
				double cr = total - cl;
				double hr = H - hl;
				if (cl < minLeaf) {
					continue;
				}
				if (cr < minLeaf) {
					break;
				}
				if (hl < minHess) {
					continue;
				}
				if (hr < minHess) {
					break;
				}
				double gain = gain(gl, hl, G - gl, hr, G, H);
				if (gain > bestGain) {
					bestGain = gain;
					bestBin = b;
					bestMissingLeft = false;
					bestGL = gl;
					bestHL = hl;
				}
			}
			if (sawMissing) {
				double gr = 0;
				double hr = 0;
				double cr = 0;
				for (int b = nb - 2; b >= 0; b--) {
					int o = base + (b + 1) * 3;
					gr += hist[o];
					hr += hist[o + 1];
					cr += hist[o + 2];
					double cl2 = total - cr;
					double hl2 = H - hr;
					if (cr < minLeaf) {
						continue;
					}
					if (cl2 < minLeaf) {
						break;
					}
					if (hr < minHess) {
						continue;
					}
					if (hl2 < minHess) {
						break;
					}
					double gain = gain(G - gr, hl2, gr, hr, G, H);
					if (gain > bestGain) {
						bestGain = gain;
						bestBin = b;
						bestMissingLeft = true;
						bestGL = G - gr;
						bestHL = hl2;
					}
				}
			}
			if (bestBin < 0) {
				return null;
			}
			Split s = new Split();
			s.feature = f;
			s.bin = bestBin;
			s.missingLeft = bestMissingLeft;
			s.sawMissing = sawMissing;
			s.gain = bestGain;
			s.gL = bestGL;
			s.hL = bestHL;
			return s;
		}

		private Split categoricalSplit(Node node, int f) {
			double[] hist = node.hist;
			int base = f * this.stride;
			int nb = this.binner.nonMissingBins(f);
			double total = node.n();
			double G = node.sumG;
			double H = node.sumH;
			double supportFactor = total / H;
			boolean sawMissing = hist[base + this.missing * 3 + 2] > 0;
			int[] catBins = new int[nb + 1];
			double[] values = new double[nb + 1];
			int used = 0;
			for (int b = 0; b <= nb; b++) {
				int bin = (b == nb) ? this.missing : b;
				if (b == nb && !sawMissing) {
					break;
				}
				int o = base + bin * 3;
				double hb = hist[o + 1];
				if (hb * supportFactor >= MIN_CAT_SUPPORT) {
					catBins[used] = bin;
					values[used] = hist[o] / (hb + MIN_CAT_SUPPORT);
					used++;
				}
			}
			if (used <= 1) {
				return null;
			}
			// stable insertion sort of the used categories by value
			int[] sorted = new int[used];
			for (int i = 0; i < used; i++) {
				int j = i;
				while (j > 0 && values[sorted[j - 1]] > values[i]) {
					sorted[j] = sorted[j - 1];
					j--;
				}
				sorted[j] = i;
			}

			double minLeaf = this.p.minSamplesLeaf();
			double minHess = this.p.minHessianLeaf();
			double bestGain = 0;
			int bestDirection = 0;
			int bestI = -1;
			double bestGL = 0;
			double bestHL = 0;
			for (int direction = 1; direction >= -1; direction -= 2) {
				// scikit-learn scans (used + 1) / 2 categories from the left and one
				// fewer from
				// the right (the mirrored split of the middle one was already seen)
				int middle = (direction == 1) ? (used + 1) / 2 : (used + 1) / 2 - 1;
				double gl = 0;
				double hl = 0;
				double cl = 0;
				for (int i = 0; i < middle; i++) {
					int pos = (direction == 1) ? i : used - 1 - i;
					int o = base + catBins[sorted[pos]] * 3;
					gl += hist[o];
					hl += hist[o + 1];
					cl += hist[o + 2];
					double cr = total - cl;
					double hr = H - hl;
					if (cl < minLeaf || hl < minHess) {
						continue;
					}
					if (cr < minLeaf || hr < minHess) {
						break;
					}
					double gain = gain(gl, hl, G - gl, hr, G, H);
					if (gain > bestGain) {
						bestGain = gain;
						bestDirection = direction;
						bestI = i;
						bestGL = gl;
						bestHL = hl;
					}
				}
			}
			if (bestI < 0) {
				return null;
			}
			Split s = new Split();
			s.feature = f;
			s.cats = new long[(nb + 63) >>> 6];
			s.sawMissing = sawMissing;
			for (int i = 0; i <= bestI; i++) {
				int pos = (bestDirection == 1) ? i : used - 1 - i;
				int bin = catBins[sorted[pos]];
				if (bin == this.missing) {
					s.missingLeft = true;
				}
				else {
					s.cats[bin >>> 6] |= 1L << bin;
				}
			}
			s.gain = bestGain;
			s.gL = bestGL;
			s.hL = bestHL;
			return s;
		}

		private void splitNode(Node node) {
			Split s = node.split;
			byte[] col = this.bins[s.feature];
			int l = node.start;
			int rc = 0;
			for (int i = node.start; i < node.end; i++) {
				int r = this.idx[i];
				int b = col[r] & 0xFF;
				boolean goLeft;
				if (b == this.missing) {
					goLeft = s.missingLeft;
				}
				else if (s.cats != null) {
					goLeft = (s.cats[b >>> 6] & (1L << b)) != 0;
				}
				else {
					goLeft = b <= s.bin;
				}
				if (goLeft) {
					this.idx[l++] = r;
				}
				else {
					this.tmp[rc++] = r;
				}
			}
			System.arraycopy(this.tmp, 0, this.idx, l, rc);
			Node left = newNode(node.start, l, node.depth + 1);
			Node right = newNode(l, node.end, node.depth + 1);
			if (!s.sawMissing) {
				// no missing value reached this node: missing values go to the bigger
				// child
				s.missingLeft = left.n() > right.n();
			}
			left.sumG = s.gL;
			left.sumH = s.hL;
			right.sumG = node.sumG - s.gL;
			right.sumH = node.sumH - s.hL;
			node.left = left;
			node.right = right;
		}

		/** Sets leaf values to the (weighted) median residual, or Huber's update. */
		void updateLeavesForQuantileLoss(GrownTree gt, TreeLoss loss, double[] y, double[] raw, double delta) {
			for (Node leaf : gt.leaves) {
				int m = leaf.n();
				double[] res = new double[m];
				double[] ws = (this.w == null) ? null : new double[m];
				for (int i = 0; i < m; i++) {
					int r = this.idx[leaf.start + i];
					res[i] = y[r] - raw[r];
					if (ws != null) {
						ws[i] = this.w[r];
					}
				}
				if (loss == TreeLoss.ABSOLUTE_ERROR) {
					leaf.value = median(res, ws);
				}
				else {
					double med = weightedPercentile(res, ws, 50);
					double s = 0;
					for (double d : res) {
						double dm = d - med;
						s += Math.signum(dm) * Math.min(Math.abs(dm), delta);
					}
					leaf.value = med + s / m;
				}
			}
		}

		/**
		 * Flattens a grown tree (pre-order), with leaf values times the learning rate.
		 */
		Tree toTree(GrownTree gt) {
			int count = 2 * gt.leaves.size() - 1;
			int[] feature = new int[count];
			double[] threshold = new double[count];
			boolean[] missingLeft = new boolean[count];
			int[] left = new int[count];
			int[] right = new int[count];
			long[][] cats = new long[count][];
			double[] value = new double[count];
			double[] cover = new double[count];
			double[] gain = new double[count];
			int[] binThreshold = new int[count];
			double lr = this.p.learningRate();
			int[] next = { 0 };
			fill(gt.root, next, feature, threshold, missingLeft, left, right, cats, value, cover, gain, binThreshold,
					lr);
			gt.binThreshold = binThreshold;
			return new Tree(feature, threshold, missingLeft, left, right, cats, 1, value, cover, gain);
		}

		private int fill(Node node, int[] next, int[] feature, double[] threshold, boolean[] missingLeft, int[] left,
				int[] right, long[][] cats, double[] value, double[] cover, double[] gain, int[] binThreshold,
				double lr) {
			int id = next[0]++;
			double c = 0;
			if (this.w == null) {
				c = node.n();
			}
			else {
				for (int i = node.start; i < node.end; i++) {
					c += this.w[this.idx[i]];
				}
			}
			cover[id] = c;
			if (node.left == null) {
				feature[id] = -1;
				left[id] = -1;
				right[id] = -1;
				value[id] = lr * node.value;
				return id;
			}
			Split s = node.split;
			feature[id] = s.feature;
			missingLeft[id] = s.missingLeft;
			gain[id] = s.gain;
			value[id] = -lr * node.sumG / (node.sumH + this.p.l2() + EPS);
			if (s.cats != null) {
				cats[id] = s.cats.clone();
				threshold[id] = Double.NaN;
				binThreshold[id] = -1;
			}
			else {
				threshold[id] = this.binner.upperEdge(s.feature, s.bin);
				binThreshold[id] = s.bin;
			}
			left[id] = fill(node.left, next, feature, threshold, missingLeft, left, right, cats, value, cover, gain,
					binThreshold, lr);
			right[id] = fill(node.right, next, feature, threshold, missingLeft, left, right, cats, value, cover, gain,
					binThreshold, lr);
			return id;
		}

	}

}
