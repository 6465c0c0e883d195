package io.fitserve.training.algorithms;

import java.util.Map;

/**
 * linear_regression: the solver (auto, normal_equation or gradient), the gradient
 * settings it uses with the gradient solver, and its L1/L2 penalties.
 */
public record LinearRegressionParameters(GradientSettings gradient, String solver, double l1,
		double l2) implements TrainingParameters, GradientTrained {

	@Override
	public void write(Map<String, Object> out) {
		this.gradient.write(out);
		out.put("solver", this.solver);
		out.put("l1", this.l1);
		out.put("l2", this.l2);
	}

	@Override
	public Integer epochs() {
		return this.gradient.epochs();
	}

}
