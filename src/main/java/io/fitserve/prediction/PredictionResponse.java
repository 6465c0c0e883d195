package io.fitserve.prediction;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One prediction per request row, in order, plus warnings about how the input was read.
 */
@Schema(description = "One prediction per request row, in order, plus warnings about how the input was read")
public record PredictionResponse(UUID modelId, List<Prediction> predictions, List<String> warnings) {

	/**
	 * Regression: value. Classification: label and the probability of every class.
	 * Clustering: cluster and distance.
	 *
	 * @param cluster clustering: the closest centroid's index, 0..k-1
	 * @param distance clustering: the Euclidean distance to that centroid in the model's
	 * standardized, one-hot encoded space
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Prediction(Double value, String label, Map<String, Double> probabilities, Explanation explanation,
			@Schema(description = "clustering: the closest centroid's index, 0..k-1") Integer cluster,
			@Schema(description = "clustering: Euclidean distance to that centroid in the standardized, one-hot "
					+ "encoded space") Double distance) {

		/** A regression or classification prediction. */
		public Prediction(Double value, String label, Map<String, Double> probabilities, Explanation explanation) {
			this(value, label, probabilities, explanation, null, null);
		}

		/** A clustering prediction. */
		public static Prediction clustered(int cluster, double distance) {
			return new Prediction(null, null, null, null, cluster, distance);
		}

	}

	/**
	 * Why a model scored a row as it did: score = intercept + the sum of the
	 * contributions, on the scale of the model's output unit (linear models: the logit of
	 * the positive class, or of the predicted class for multinomial models). Tree models
	 * answer TreeSHAP values with the base value as intercept and name the score's space:
	 * "log_odds" (gradient boosting classification: of the positive class, or the
	 * predicted class's logit), "probability" (random forest classification: of the
	 * predicted class) or "value" (regression); linear models leave space out. MLPs and
	 * kernel SVMs answer sampled Shapley values of the predicted class's probability
	 * ("probability") or the regression value ("value"), with the mean score over the
	 * background rows as intercept.
	 *
	 * @param method "exact" (linear models), "tree_shap" or "sampling_shapley"
	 * @param samples sampled explanations: permutations evaluated
	 * @param exhaustive sampled explanations: true when those were all the permutations
	 * of the features, so the values are exact Shapley values for the background
	 * @param background sampled explanations: background rows the features were switched
	 * against
	 * @param backgroundSource sampled explanations: "training_sample" (rows drawn from
	 * the training split when the model was fitted) or "reference_row" (models trained
	 * before backgrounds were stored: one row with numeric features at their training
	 * mean and categorical ones at their most frequent level)
	 * @param seed sampled explanations: the seed of the permutations
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Explanation(String output, double score, double intercept, List<Contribution> contributions,
			String space, String method, Integer samples, Boolean exhaustive, Integer background,
			String backgroundSource, Long seed) {

		public Explanation(String output, double score, double intercept, List<Contribution> contributions) {
			this(output, score, intercept, contributions, null);
		}

		public Explanation(String output, double score, double intercept, List<Contribution> contributions,
				String space) {
			this(output, score, intercept, contributions, space, null, null, null, null, null, null);
		}

	}

	/**
	 * One feature's share of the score (one-hot columns summed back into their feature).
	 */
	public record Contribution(String feature, double value) {
	}

}
