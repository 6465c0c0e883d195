package io.fitserve.ml.artifact;

import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;

/**
 * Capability of a {@link Predictor} whose score is linear in the encoded inputs: each
 * row's score splits exactly into an intercept and per-feature contributions, and its
 * weights are the standardized coefficients.
 */
public interface Explainable {

	/**
	 * Output units of the linear score: 1 for regression and single-unit binary models
	 * (where a positive score pushes towards {@code classLabels.get(1)}), one per class
	 * otherwise.
	 */
	int scoreOutputs();

	/**
	 * One encoded row's score of one output unit split into its intercept and the
	 * per-original-feature contributions (as {@link Explanations#contributions}).
	 */
	Explanations.RowExplanation explain(Preprocessing preprocessing, double[] xEncoded, int output);

	/**
	 * The weights on the encoded (standardized or one-hot) columns, output-major (as
	 * {@link Explanations#standardizedCoefficients}).
	 */
	List<Explanations.Coefficient> standardizedCoefficients(Preprocessing preprocessing, List<String> classLabels);

}
