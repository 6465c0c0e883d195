package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.preprocess.Preprocessing;

/**
 * Capability of a {@link Predictor} whose raw score of a row splits exactly into a base
 * value (intercept) and one contribution per original feature: linear models (their score
 * is linear in the encoded inputs) and tree models (TreeSHAP). Linear models' weights are
 * a separate capability, {@link LinearCoefficients}. Models without it (MLPs, kernel
 * SVMs) are explained by sampled Shapley values
 * ({@link io.fitserve.ml.explain.SamplingShapley}) against the artifact's
 * {@link ModelArtifact#explanationBackground()}.
 */
public interface Explainable {

	/**
	 * Output units of the raw score: 1 for regression and single-unit binary models
	 * (where a positive score pushes towards {@code classLabels.get(1)}), one per class
	 * otherwise.
	 */
	int scoreOutputs();

	/**
	 * One encoded row's score of one output unit split into its intercept (base value)
	 * and the per-original-feature contributions (as {@link Explanations#contributions}).
	 */
	Explanations.RowExplanation explain(Preprocessing preprocessing, double[] xEncoded, int output);

	/**
	 * The space the score is in, for the response ("log_odds", "probability", "value");
	 * null where the response has always left it out (linear models).
	 */
	default String scoreSpace(Task task) {
		return null;
	}

	/**
	 * How the contributions are computed, for the response: "exact" (linear models: the
	 * score's own terms) unless the predictor says otherwise ("tree_shap").
	 */
	default String method() {
		return "exact";
	}

}
