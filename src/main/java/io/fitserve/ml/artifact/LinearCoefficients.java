package io.fitserve.ml.artifact;

import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;

/**
 * Capability of a {@link Predictor} that has one weight per encoded column: linear
 * models, whose weights are the standardized coefficients training reports.
 */
public interface LinearCoefficients {

	/**
	 * The weights on the encoded (standardized or one-hot) columns, output-major (as
	 * {@link Explanations#standardizedCoefficients}).
	 */
	List<Explanations.Coefficient> standardizedCoefficients(Preprocessing preprocessing, List<String> classLabels);

}
