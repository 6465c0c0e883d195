package io.fitserve.prediction;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Why a batch prediction failed: a stable code (the problem type's slug) and a message
 * for people.
 */
@Schema(description = "Why a batch prediction failed: a stable code (as a problem response's type ends) and a message")
public record BatchPredictionError(
		@Schema(description = "stable code, e.g. unprocessable-input (a bad row under onError=fail), not-found (the "
				+ "model or dataset was deleted meanwhile), attempts-exhausted, internal-error",
				example = "unprocessable-input") String code,
		@Schema(description = "what went wrong, naming the line of the dataset's CSV when a row was at fault",
				example = "Line 7: column 'x': not a number") String message) {
}
