package io.fitserve.training.algorithms;

import java.util.Map;

/**
 * linear_svm: gradient settings, L1, either C or l2, the (squared) hinge loss and class
 * weights.
 */
public record LinearSvmParameters(GradientSettings gradient, double l1, Double l2, Double C, String loss,
		Object classWeights, Resampling resampling) implements TrainingParameters, GradientTrained {

	@Override
	public void write(Map<String, Object> out) {
		this.gradient.write(out);
		out.put("l1", this.l1);
		out.put("l2", this.l2);
		out.put("C", this.C);
		out.put("loss", this.loss);
		out.put("classWeights", this.classWeights);
		Resampling.write(this.resampling, out);
	}

	@Override
	public Integer epochs() {
		return this.gradient.epochs();
	}

}
