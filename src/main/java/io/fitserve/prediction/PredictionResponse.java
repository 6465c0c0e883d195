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

	/** Regression: value. Classification: label and the probability of every class. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Prediction(Double value, String label, Map<String, Double> probabilities, Explanation explanation) {
	}

	/**
	 * Why a model scored a row as it did: score = intercept + the sum of the
	 * contributions, on the scale of the model's output unit (linear models: the logit of
	 * the positive class, or of the predicted class for multinomial models). Tree models
	 * answer TreeSHAP values with the base value as intercept and name the score's space:
	 * "log_odds" (gradient boosting classification: of the positive class, or the
	 * predicted class's logit), "probability" (random forest classification: of the
	 * predicted class) or "value" (regression); linear models leave space out.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Explanation(String output, double score, double intercept, List<Contribution> contributions,
			String space) {

		public Explanation(String output, double score, double intercept, List<Contribution> contributions) {
			this(output, score, intercept, contributions, null);
		}

	}

	/**
	 * One feature's share of the score (one-hot columns summed back into their feature).
	 */
	public record Contribution(String feature, double value) {
	}

}
