package io.fitserve.training.algorithms;

import java.util.Map;

/**
 * logistic_regression: gradient settings, L1, and either C (scikit-learn's inverse
 * regularization) or l2, and class weights.
 */
public record LogisticRegressionParameters(GradientSettings gradient, double l1, Double l2, Double C,
		Object classWeights, Resampling resampling) implements TrainingParameters, GradientTrained {

	@Override
	public void write(Map<String, Object> out) {
		this.gradient.write(out);
		out.put("l1", this.l1);
		out.put("l2", this.l2);
		out.put("C", this.C);
		out.put("classWeights", this.classWeights);
		Resampling.write(this.resampling, out);
	}

	@Override
	public Integer epochs() {
		return this.gradient.epochs();
	}

}
