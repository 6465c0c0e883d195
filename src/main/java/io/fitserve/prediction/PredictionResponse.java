package io.fitserve.prediction;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One prediction per request row, in order, plus warnings about how the input was read. */
public record PredictionResponse(UUID modelId, List<Prediction> predictions, List<String> warnings) {

	/** Regression: value. Classification: label and the probability of every class. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Prediction(Double value, String label, Map<String, Double> probabilities) {
	}

}
