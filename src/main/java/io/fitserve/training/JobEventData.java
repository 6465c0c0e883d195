package io.fitserve.training;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of the events on a job's event stream (the wire schema; each is one JSON
 * object).
 */
final class JobEventData {

	private JobEventData() {
	}

	/** {@code status}: the job's status, and its model or error once it has one. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Status(UUID id, JobStatus status, UUID modelId, UUID bestModelId, JobError error, Instant finishedAt) {
	}

	/**
	 * {@code progress} of a training job: what the job resource's progress holds, with
	 * the status.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record TrainingProgress(JobStatus status, int epoch, int epochs, double fraction, Double trainLoss,
			Double validationLoss, long elapsedMs, Long etaMs, String stage) {

		static TrainingProgress of(JobStatus status, TrainingJobResponse.Progress p) {
			return new TrainingProgress(status, p.epoch(), p.epochs(), p.fraction(), p.trainLoss(), p.validationLoss(),
					p.elapsedMs(), p.etaMs(), p.stage());
		}

		/**
		 * The same progress for the purpose of "did anything change" (time moves on by
		 * itself).
		 */
		boolean sameAs(TrainingProgress other) {
			return other != null && status == other.status && epoch == other.epoch && epochs == other.epochs
					&& fraction == other.fraction && java.util.Objects.equals(trainLoss, other.trainLoss)
					&& java.util.Objects.equals(validationLoss, other.validationLoss)
					&& java.util.Objects.equals(stage, other.stage);
		}

	}

	/**
	 * {@code trial} of a tuning job: one finished trial, as its leaderboard row has it;
	 * status succeeded or failed (score null).
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Trial(int trial, String status, Double score, Map<String, Object> hyperparameters) {

		static Trial of(TrialResult result) {
			return new Trial(result.trial(), "completed".equals(result.status()) ? "succeeded" : result.status(),
					result.score(), result.hyperparameters());
		}

	}

	/** {@code progress} of a tuning job: trial i of n and the best score so far. */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record TuningProgress(JobStatus status, int trial, int trials, double fraction, String metric, Double bestScore,
			Map<String, Object> bestHyperparameters) {

		static TuningProgress of(JobStatus status, TuningJobResponse.Progress p) {
			return new TuningProgress(status, p.trial(), p.trials(), p.fraction(), p.metric(), p.bestScore(),
					p.bestHyperparameters());
		}

	}

}
