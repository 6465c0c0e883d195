package io.fitserve.training;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A training job: its resolved spec, status, live progress, and the model or error it
 * ended with; attempt is 1 for the first run and counts the runs a stopped process cut
 * short; worker is the replica that started the latest run
 * (fitserve.cluster.replica-name).
 */
@Schema(description = "A training job: its resolved spec, status, live progress, and the model or error it ended with")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingJobResponse(UUID id, JobStatus status, TrainingSpec spec, Progress progress,
		boolean cancelRequested, int attempt, String worker, UUID modelId, JobError error, Instant createdAt,
		Instant startedAt, Instant finishedAt) {

	/**
	 * How far training has come; etaMs extrapolates the mean epoch time over the
	 * remaining epochs.
	 */
	// named: springdoc names schemas by simple class name, and TuningJobResponse.Progress
	// would replace this one
	@Schema(name = "TrainingProgress",
			description = "How far training has come; etaMs extrapolates the mean epoch "
					+ "time over the remaining epochs")
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Progress(int epoch, int epochs, double fraction, Double trainLoss, Double validationLoss,
			long elapsedMs, Long etaMs, String stage) {
	}

	static TrainingJobResponse from(TrainingJob job, LiveProgress.Snapshot live) {
		return new TrainingJobResponse(job.getId(), job.getStatus(), job.getSpec(), progress(job, live),
				job.isCancelRequested(), job.getAttempt(), job.getWorker(), job.getModelId(), job.getError(),
				job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt());
	}

	private static Progress progress(TrainingJob job, LiveProgress.Snapshot live) {
		int epochs = job.getEpochs();
		if (job.getStatus() == JobStatus.RUNNING && live != null) {
			long elapsed = (System.nanoTime() - live.startedNanos()) / 1_000_000;
			double fraction = live.fraction();
			Long eta = fraction > 0 ? Long.valueOf(Math.round(live.elapsedMs() / fraction * (1 - fraction))) : null;
			if (live.last() == null) {
				return new Progress(0, live.epochs(), fraction, null, null, elapsed, eta, live.stageName());
			}
			return new Progress(live.last().epoch(), live.epochs(), fraction, finite(live.last().trainLoss()),
					finite(live.last().validationLoss()), elapsed, eta, live.stageName());
		}
		double fraction = job.getStatus() == JobStatus.SUCCEEDED ? 1.0
				: epochs == 0 ? 0 : Math.min(1.0, job.getEpoch() / (double) epochs);
		Long eta = job.getStatus().finished() ? Long.valueOf(0) : null;
		return new Progress(job.getEpoch(), epochs, fraction, job.getTrainLoss(), job.getValidationLoss(),
				job.getElapsedMs(), eta, null);
	}

	private static Double finite(double v) {
		return Double.isFinite(v) ? v : null;
	}

}
