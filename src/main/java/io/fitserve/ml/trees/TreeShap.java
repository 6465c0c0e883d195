package io.fitserve.ml.trees;

import java.util.List;

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, Algorithm 2; the algorithm
 * of the {@code shap} package and XGBoost's {@code pred_contribs}) on the node covers of
 * a {@link TreeEnsemble}, in the model's raw score space: gradient boosting margins
 * (log-odds / per-class logits / the regression value) or, for a forest, the averaged
 * class probabilities / value. For every output k:
 * {@code baseValues[k] + sum_f contributions[k][f] == model.rawScores(row)[k]}.
 */
public final class TreeShap {

	private TreeShap() {
	}

	/**
	 * SHAP values of one row.
	 *
	 * @param baseValues per output the expected raw score (cover-weighted over the
	 * training data that built the trees, plus the boosting baseline)
	 * @param contributions {@code [output][feature]}
	 */
	public record Explanation(double[] baseValues, double[][] contributions) {

		/** base value + sum of contributions of an output (= the raw score). */
		public double total(int output) {
			double s = this.baseValues[output];
			for (double c : this.contributions[output]) {
				s += c;
			}
			return s;
		}

	}

	/** Per output the expected raw score (the SHAP base values). */
	public static double[] expectedValues(TreeEnsemble model) {
		int outputs = model.numOutputs();
		double[] base = model.baseline().clone();
		List<Tree> trees = model.trees();
		boolean forest = model.kind() == EnsembleKind.RANDOM_FOREST;
		double scale = forest ? 1.0 / trees.size() : 1.0;
		for (int i = 0; i < trees.size(); i++) {
			Tree t = trees.get(i);
			double[] e = new double[t.valueDim()];
			expected(t, 0, e);
			if (forest) {
				for (int k = 0; k < outputs; k++) {
					base[k] += scale * e[k];
				}
			}
			else {
				base[i % outputs] += e[0];
			}
		}
		return base;
	}

	private static void expected(Tree t, int node, double[] out) {
		int dim = t.valueDim();
		if (t.left()[node] < 0) {
			for (int k = 0; k < dim; k++) {
				out[k] = t.value()[node * dim + k];
			}
			return;
		}
		double[] l = new double[dim];
		double[] r = new double[dim];
		expected(t, t.left()[node], l);
		expected(t, t.right()[node], r);
		double fl = leftFraction(t, node);
		for (int k = 0; k < dim; k++) {
			out[k] = fl * l[k] + (1 - fl) * r[k];
		}
	}

	private static double leftFraction(Tree t, int node) {
		double cl = t.cover()[t.left()[node]];
		double cr = t.cover()[t.right()[node]];
		double c = cl + cr;
		return (c > 0) ? cl / c : 0.5;
	}

	/** SHAP values of one row ({@code row[feature]}, NaN = missing). */
	public static Explanation explain(TreeEnsemble model, double[] row) {
		model.checkRow(row);
		int outputs = model.numOutputs();
		double[][] phi = new double[outputs][model.numFeatures()];
		List<Tree> trees = model.trees();
		boolean forest = model.kind() == EnsembleKind.RANDOM_FOREST;
		double scale = forest ? 1.0 / trees.size() : 1.0;
		int maxDepth = 0;
		for (Tree t : trees) {
			maxDepth = Math.max(maxDepth, t.maxDepth());
		}
		int len = (maxDepth + 2) * (maxDepth + 3) / 2;
		Path path = new Path(len);
		for (int i = 0; i < trees.size(); i++) {
			Tree t = trees.get(i);
			int firstOutput = forest ? 0 : i % outputs;
			new Walker(t, row, model.knownCategories(), phi, firstOutput, scale).recurse(0, path, 0, 0, 1, 1, -1);
		}
		return new Explanation(expectedValues(model), phi);
	}

	/** SHAP values of many rows ({@code rows[row][feature]}). */
	public static Explanation[] explainBatch(TreeEnsemble model, double[][] rows) {
		Explanation[] out = new Explanation[rows.length];
		for (int r = 0; r < rows.length; r++) {
			out[r] = explain(model, rows[r]);
		}
		return out;
	}

	/** The path elements, stored for all recursion levels in one array (as shap does). */
	private static final class Path {

		final int[] feature;

		final double[] zero;

		final double[] one;

		final double[] weight;

		Path(int len) {
			this.feature = new int[len];
			this.zero = new double[len];
			this.one = new double[len];
			this.weight = new double[len];
		}

		void copy(int from, int to, int n) {
			System.arraycopy(this.feature, from, this.feature, to, n);
			System.arraycopy(this.zero, from, this.zero, to, n);
			System.arraycopy(this.one, from, this.one, to, n);
			System.arraycopy(this.weight, from, this.weight, to, n);
		}

	}

	private static final class Walker {

		final Tree t;

		final double[] row;

		final long[][] known;

		final double[][] phi;

		final int firstOutput;

		final double scale;

		Walker(Tree t, double[] row, long[][] known, double[][] phi, int firstOutput, double scale) {
			this.t = t;
			this.row = row;
			this.known = known;
			this.phi = phi;
			this.firstOutput = firstOutput;
			this.scale = scale;
		}

		/**
		 * @param node current node
		 * @param p path storage
		 * @param offset start of this level's path in the storage
		 * @param depth unique path length so far
		 */
		void recurse(int node, Path p, int offset, int depth, double zeroFraction, double oneFraction,
				int featureIndex) {
			// copy the parent's path to this level
			int base = offset + depth + 1;
			if (depth > 0 || offset > 0) {
				p.copy(offset, base, depth + 1);
			}
			else {
				base = 0;
			}
			int level = (depth > 0 || offset > 0) ? base : 0;
			extend(p, level, depth, zeroFraction, oneFraction, featureIndex);
			int[] left = this.t.left();
			if (left[node] < 0) {
				int dim = this.t.valueDim();
				for (int i = 1; i <= depth; i++) {
					double w = unwoundSum(p, level, depth, i);
					double d = w * (p.one[level + i] - p.zero[level + i]) * this.scale;
					int f = p.feature[level + i];
					for (int k = 0; k < dim; k++) {
						this.phi[this.firstOutput + k][f] += d * this.t.value()[node * dim + k];
					}
				}
				return;
			}
			int f = this.t.feature()[node];
			boolean goLeft = this.t.goesLeft(node, this.row[f], this.known);
			int hot = goLeft ? left[node] : this.t.right()[node];
			int cold = goLeft ? this.t.right()[node] : left[node];
			double fl = leftFraction(this.t, node);
			double hotFraction = goLeft ? fl : 1 - fl;
			double coldFraction = 1 - hotFraction;
			double incomingZero = 1;
			double incomingOne = 1;
			int pathIndex = 0;
			for (; pathIndex <= depth; pathIndex++) {
				if (p.feature[level + pathIndex] == f) {
					break;
				}
			}
			int d = depth;
			if (pathIndex != depth + 1) {
				incomingZero = p.zero[level + pathIndex];
				incomingOne = p.one[level + pathIndex];
				unwind(p, level, d, pathIndex);
				d -= 1;
			}
			recurse(hot, p, level, d + 1, hotFraction * incomingZero, incomingOne, f);
			recurse(cold, p, level, d + 1, coldFraction * incomingZero, 0, f);
		}

		private static void extend(Path p, int level, int depth, double zero, double one, int feature) {
			p.feature[level + depth] = feature;
			p.zero[level + depth] = zero;
			p.one[level + depth] = one;
			p.weight[level + depth] = (depth == 0) ? 1.0 : 0.0;
			for (int i = depth - 1; i >= 0; i--) {
				p.weight[level + i + 1] += one * p.weight[level + i] * (i + 1) / (depth + 1);
				p.weight[level + i] = zero * p.weight[level + i] * (depth - i) / (depth + 1);
			}
		}

		private static void unwind(Path p, int level, int depth, int pathIndex) {
			double one = p.one[level + pathIndex];
			double zero = p.zero[level + pathIndex];
			double next = p.weight[level + depth];
			for (int i = depth - 1; i >= 0; i--) {
				if (one != 0) {
					double tmp = p.weight[level + i];
					p.weight[level + i] = next * (depth + 1) / ((i + 1) * one);
					next = tmp - p.weight[level + i] * zero * (depth - i) / (depth + 1);
				}
				else {
					p.weight[level + i] = p.weight[level + i] * (depth + 1) / (zero * (depth - i));
				}
			}
			for (int i = pathIndex; i < depth; i++) {
				p.feature[level + i] = p.feature[level + i + 1];
				p.zero[level + i] = p.zero[level + i + 1];
				p.one[level + i] = p.one[level + i + 1];
			}
		}

		private static double unwoundSum(Path p, int level, int depth, int pathIndex) {
			double one = p.one[level + pathIndex];
			double zero = p.zero[level + pathIndex];
			double next = p.weight[level + depth];
			double total = 0;
			for (int i = depth - 1; i >= 0; i--) {
				if (one != 0) {
					double tmp = next * (depth + 1) / ((i + 1) * one);
					total += tmp;
					next = p.weight[level + i] - tmp * zero * ((depth - i) / (double) (depth + 1));
				}
				else if (zero != 0) {
					total += (p.weight[level + i] / zero) / ((depth - i) / (double) (depth + 1));
				}
			}
			return total;
		}

	}

}
