package io.fitserve.training.algorithms;

import java.util.Map;

/**
 * random_forest: bagged trees (scikit-learn's RandomForest defaults).
 *
 * @param maxDepth 0 = unlimited
 * @param maxFeatures "sqrt", "log2" or a fraction in (0, 1]
 * @param classWeights "balanced", a map class label -> weight, or null
 * @param resampling the classes' rebalancing; null for none
 */
public record RandomForestParameters(int nEstimators, int maxDepth, int minSamplesLeaf, int minSamplesSplit,
		Object maxFeatures, boolean bootstrap, int maxBins, Object classWeights,
		Resampling resampling) implements TrainingParameters {

	@Override
	public void write(Map<String, Object> out) {
		out.put("nEstimators", this.nEstimators);
		out.put("maxDepth", this.maxDepth);
		out.put("minSamplesLeaf", this.minSamplesLeaf);
		out.put("minSamplesSplit", this.minSamplesSplit);
		out.put("maxFeatures", this.maxFeatures);
		out.put("bootstrap", this.bootstrap);
		out.put("maxBins", this.maxBins);
		out.put("classWeights", this.classWeights);
		Resampling.write(this.resampling, out);
	}

	/** Trees (the progress bar's length). */
	@Override
	public Integer epochs() {
		return this.nEstimators;
	}

}
