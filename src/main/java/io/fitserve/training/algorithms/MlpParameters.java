package io.fitserve.training.algorithms;

import java.util.List;
import java.util.Map;

/**
 * mlp: gradient settings, L2, the hidden layers, their activation, dropout and batch
 * normalization, and class weights.
 */
public record MlpParameters(GradientSettings gradient, double l2, List<Integer> hiddenLayers, String activation,
		double dropout, boolean batchNorm, Object classWeights,
		Resampling resampling) implements TrainingParameters, GradientTrained {

	@Override
	public void write(Map<String, Object> out) {
		this.gradient.write(out);
		out.put("l2", this.l2);
		out.put("hiddenLayers", this.hiddenLayers);
		out.put("activation", this.activation);
		out.put("dropout", this.dropout);
		out.put("batchNorm", this.batchNorm);
		out.put("classWeights", this.classWeights);
		Resampling.write(this.resampling, out);
	}

	@Override
	public Integer epochs() {
		return this.gradient.epochs();
	}

}
