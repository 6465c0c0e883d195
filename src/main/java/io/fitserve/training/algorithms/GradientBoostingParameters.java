package io.fitserve.training.algorithms;

import java.util.Map;

/**
 * gradient_boosting: histogram gradient boosting (scikit-learn's HistGradientBoosting
 * defaults).
 *
 * @param maxDepth 0 = unlimited
 * @param earlyStopping "auto", "true" or "false"
 * @param classWeights "balanced", a map class label -> weight, or null
 * @param resampling the classes' rebalancing; null for none
 */
public record GradientBoostingParameters(String loss, int nEstimators, double learningRate, int maxLeaves, int maxDepth,
		int minSamplesLeaf, double l2, int maxBins, double subsample, double colsampleByTree, String earlyStopping,
		int earlyStoppingRounds, Object classWeights, Resampling resampling) implements TrainingParameters {

	@Override
	public void write(Map<String, Object> out) {
		out.put("loss", this.loss);
		out.put("nEstimators", this.nEstimators);
		out.put("learningRate", this.learningRate);
		out.put("maxLeaves", this.maxLeaves);
		out.put("maxDepth", this.maxDepth);
		out.put("minSamplesLeaf", this.minSamplesLeaf);
		out.put("l2", this.l2);
		out.put("maxBins", this.maxBins);
		out.put("subsample", this.subsample);
		out.put("colsampleByTree", this.colsampleByTree);
		out.put("earlyStopping", this.earlyStopping);
		out.put("earlyStoppingRounds", this.earlyStoppingRounds);
		out.put("classWeights", this.classWeights);
		Resampling.write(this.resampling, out);
	}

	/** Boosting iterations at most (the progress bar's length). */
	@Override
	public Integer epochs() {
		return this.nEstimators;
	}

}
