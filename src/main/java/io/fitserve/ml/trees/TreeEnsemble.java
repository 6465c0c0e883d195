package io.fitserve.ml.trees;

import java.util.List;

/**
 * A trained tree model: gradient boosting (margins = baseline + sum of trees per output)
 * or random forest (average of the trees' leaf values). Plain data: records, primitive
 * arrays, a list and enums.
 *
 * @param kind gradient boosting or random forest
 * @param loss the boosting loss (LOG_LOSS or SQUARED_ERROR for forests: classification or
 * regression)
 * @param numFeatures input features
 * @param numClasses classes for classification, 0 for regression
 * @param numOutputs raw scores per row: boosting 1 (regression, binary) or K; forest K
 * (class probabilities) or 1
 * @param baseline per output the initial raw score (boosting; zeros for forests)
 * @param trees boosting: tree {@code i * numOutputs + k} is iteration i's tree for output
 * k; forest: the trees, each with {@code valueDim = numOutputs}
 * @param categorical per feature whether it is categorical
 * @param knownCategories per categorical feature the bitset of codes seen in training
 * (null for numeric features)
 * @param iterations boosting iterations kept (after early stopping), or the tree count of
 * a forest
 * @param iterationsRun boosting iterations trained before stopping
 * @param trainLoss per iteration run the training loss (boosting; empty for forests)
 * @param validationLoss per iteration the validation loss, index 0 = the baseline (empty
 * without validation data)
 */
public record TreeEnsemble(EnsembleKind kind, TreeLoss loss, int numFeatures, int numClasses, int numOutputs,
		double[] baseline, List<Tree> trees, boolean[] categorical, long[][] knownCategories, int iterations,
		int iterationsRun, double[] trainLoss, double[] validationLoss) {

	public boolean classification() {
		return this.numClasses > 0;
	}

	/** Width of {@link #predict}: the class count, or 1 for regression. */
	public int predictionWidth() {
		return classification() ? this.numClasses : 1;
	}

	/**
	 * Raw scores of one row: boosting margins (log-odds for binary, per-class logits for
	 * multinomial, the prediction for regression); for forests the averaged leaf values
	 * (class probabilities or the mean). TreeSHAP explains these.
	 */
	public double[] rawScores(double[] row) {
		checkRow(row);
		double[] out = new double[this.numOutputs];
		if (this.kind == EnsembleKind.GRADIENT_BOOSTING) {
			System.arraycopy(this.baseline, 0, out, 0, this.numOutputs);
			for (int i = 0; i < this.trees.size(); i++) {
				Tree t = this.trees.get(i);
				out[i % this.numOutputs] += t.value()[t.leafIndex(row, this.knownCategories)];
			}
			return out;
		}
		for (Tree t : this.trees) {
			int leaf = t.leafIndex(row, this.knownCategories);
			for (int k = 0; k < this.numOutputs; k++) {
				out[k] += t.value()[leaf * this.numOutputs + k];
			}
		}
		for (int k = 0; k < this.numOutputs; k++) {
			out[k] /= this.trees.size();
		}
		return out;
	}

	/**
	 * Class probabilities (length K, summing to 1) for classification, or {@code {value}}
	 * for regression.
	 */
	public double[] predict(double[] row) {
		double[] raw = rawScores(row);
		if (!classification()) {
			return raw;
		}
		if (this.kind == EnsembleKind.RANDOM_FOREST) {
			return raw;
		}
		if (this.numOutputs == 1) {
			double p = sigmoid(raw[0]);
			return new double[] { 1 - p, p };
		}
		return softmax(raw);
	}

	/** {@link #predict} for each row ({@code rows[row][feature]}). */
	public double[][] predictBatch(double[][] rows) {
		double[][] out = new double[rows.length][];
		for (int r = 0; r < rows.length; r++) {
			out[r] = predict(rows[r]);
		}
		return out;
	}

	/** The most probable class (classification) of a row. */
	public int predictClass(double[] row) {
		double[] p = predict(row);
		int best = 0;
		for (int k = 1; k < p.length; k++) {
			if (p[k] > p[best]) {
				best = k;
			}
		}
		return best;
	}

	/** Total split gain per feature over all trees (not normalized). */
	public double[] featureGains() {
		double[] g = new double[this.numFeatures];
		for (Tree t : this.trees) {
			for (int n = 0; n < t.nodeCount(); n++) {
				if (t.left()[n] >= 0) {
					g[t.feature()[n]] += t.gain()[n];
				}
			}
		}
		return g;
	}

	/** {@link #featureGains()} normalized to sum 1 (all zeros when no tree split). */
	public double[] featureImportance() {
		double[] g = featureGains();
		double s = 0;
		for (double v : g) {
			s += v;
		}
		if (s > 0) {
			for (int i = 0; i < g.length; i++) {
				g[i] /= s;
			}
		}
		return g;
	}

	/** Trees per boosting iteration (numOutputs for boosting, 1 for a forest). */
	public int treesPerIteration() {
		return (this.kind == EnsembleKind.GRADIENT_BOOSTING) ? this.numOutputs : 1;
	}

	void checkRow(double[] row) {
		if (row.length != this.numFeatures) {
			throw new IllegalArgumentException("row has " + row.length + " values, the model " + this.numFeatures);
		}
	}

	static double sigmoid(double x) {
		return (x >= 0) ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
	}

	static double[] softmax(double[] raw) {
		double max = Double.NEGATIVE_INFINITY;
		for (double v : raw) {
			max = Math.max(max, v);
		}
		double[] p = new double[raw.length];
		double s = 0;
		for (int k = 0; k < raw.length; k++) {
			p[k] = Math.exp(raw[k] - max);
			s += p[k];
		}
		for (int k = 0; k < raw.length; k++) {
			p[k] /= s;
		}
		return p;
	}

}
