package io.fitserve.training;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A search's spec (with the drawn trials), progress, and the best model once it
 * succeeded; attempt is 1 for the first run and counts the runs a stopped process cut
 * short.
 */
@Schema(description = "A hyperparameter search: its spec with the drawn trials, progress, and the best model once it succeeded")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TuningJobResponse(UUID id, JobStatus status, TuningSpec spec, Progress progress, boolean cancelRequested,
		int attempt, UUID bestModelId, JobError error, Instant createdAt, Instant startedAt, Instant finishedAt) {

	/**
	 * Trial i of n, and the best cross-validated score so far with its hyperparameters.
	 */
	@Schema(name = "TuningProgress",
			description = "Trial i of n, and the best cross-validated score so far with its hyperparameters")
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Progress(int trial, int trials, double fraction, String metric, Double bestScore,
			Map<String, Object> bestHyperparameters) {
	}

	static TuningJobResponse from(TuningJob job) {
		TuningSpec spec = job.getSpec();
		Map<String, Object> bestHyperparameters = job.getLeaderboard()
			.stream()
			.filter(t -> t.rank() != null && t.rank() == 1)
			.findFirst()
			.map(TrialResult::hyperparameters)
			.orElse(null);
		double fraction = job.getStatus() == JobStatus.SUCCEEDED ? 1.0
				: job.getTrialsTotal() == 0 ? 0 : job.getTrialsDone() / (double) job.getTrialsTotal();
		return new TuningJobResponse(job.getId(), job.getStatus(), spec,
				new Progress(job.getTrialsDone(), job.getTrialsTotal(), fraction, spec.metric(), job.getBestScore(),
						bestHyperparameters),
				job.isCancelRequested(), job.getAttempt(), job.getBestModelId(), job.getError(), job.getCreatedAt(),
				job.getStartedAt(), job.getFinishedAt());
	}

}
