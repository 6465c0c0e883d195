package io.fitserve.training.algorithms;

import java.util.Map;

/**
 * svm: C, the kernel and its coefficients, Platt calibration, and class weights.
 *
 * @param gamma "scale", "auto" or a number
 */
public record SvmParameters(Double C, String kernel, Object gamma, int degree, double coef0, boolean probabilities,
		Object classWeights, Resampling resampling) implements TrainingParameters {

	@Override
	public void write(Map<String, Object> out) {
		out.put("C", this.C);
		out.put("classWeights", this.classWeights);
		Resampling.write(this.resampling, out);
		out.put("kernel", this.kernel);
		out.put("gamma", this.gamma);
		out.put("degree", this.degree);
		out.put("coef0", this.coef0);
		out.put("probabilities", this.probabilities);
	}

}
