package io.fitserve.training.algorithms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.preprocess.Preprocessing;

/**
 * What one fit is given: the feature columns and targets of the whole dataset (indexed by
 * stored row), the rows to train on and to validate on, the task, the seed, and an epoch
 * count that overrides early stopping when positive (the final model after
 * cross-validation, which has no validation rows left).
 *
 * @param y the target of each stored row: a number, or the class index
 */
public record FitInput(Task task, List<ColumnData> features, double[] y, List<String> classLabels, int[] splitRows,
		int[] validationRows, int epochsOverride, long seed) {

	public boolean classification() {
		return this.task == Task.CLASSIFICATION;
	}

	public int numClasses() {
		return classification() ? this.classLabels.size() : 0;
	}

	public double[] targets(int[] rows) {
		double[] out = new double[rows.length];
		for (int i = 0; i < rows.length; i++) {
			out[i] = this.y[rows[i]];
		}
		return out;
	}

	public int[] classes(int[] rows) {
		int[] out = new int[rows.length];
		for (int i = 0; i < rows.length; i++) {
			out[i] = (int) this.y[rows[i]];
		}
		return out;
	}

	/**
	 * The training rows with preprocessing fitted on them (training rows only).
	 * @param keepSplitOrder false: in storage order, which makes encoding one sequential
	 * pass (for trainers that reshuffle with the seed or do not depend on row order);
	 * true: in the split's order, for a trainer whose result can depend on it
	 */
	public Prepared prepare(boolean keepSplitOrder) {
		int[] trainRows = keepSplitOrder ? this.splitRows : Rows.storageOrder(this.splitRows);
		return new Prepared(trainRows, Preprocessing.fit(this.features, trainRows));
	}

	/** Training rows and the preprocessing fitted on them. */
	public record Prepared(int[] trainRows, Preprocessing preprocessing) {

		public DenseRows encode(List<ColumnData> features, int[] rows) {
			return this.preprocessing.transformRows(features, rows);
		}

	}

	/**
	 * The fit's details as training reports them, starting with the encoded width; then
	 * the effective l2 when C gave it, and the class weights when there are any.
	 */
	public Map<String, Object> details(Preprocessing preprocessing, Double effectiveL2, double[] classWeights) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("encodedFeatures", preprocessing.outputWidth());
		if (effectiveL2 != null) {
			details.put("effectiveL2", effectiveL2);
		}
		if (classWeights != null) {
			Map<String, Double> byLabel = new LinkedHashMap<>();
			for (int c = 0; c < numClasses(); c++) {
				byLabel.put(this.classLabels.get(c), classWeights[c]);
			}
			details.put("classWeights", byLabel);
		}
		return details;
	}

}
