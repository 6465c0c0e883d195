package io.fitserve.training;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One trial of a search: the values it tried and its cross-validated score (mean and
 * standard deviation over folds); status completed, failed or skipped (time budget or
 * cancel).
 */
@Schema(description = "One trial of a search: the values it tried and its cross-validated score (mean and standard deviation over folds)")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialResult(Integer rank, int trial, Map<String, Object> hyperparameters, String status, Double score,
		Double std, List<Double> foldScores, long elapsedMs, String error) {

	TrialResult ranked(int r) {
		return new TrialResult(r, trial, hyperparameters, status, score, std, foldScores, elapsedMs, error);
	}

}
