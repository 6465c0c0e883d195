package io.fitserve.prediction;

import java.util.UUID;

import io.fitserve.ClusterProperties;
import io.fitserve.training.BackgroundJobTransitions;
import io.fitserve.training.JobTransactions;

import org.springframework.stereotype.Component;

/**
 * Short transactions around a batch prediction's state changes, with the lifecycle
 * training jobs have ({@link BackgroundJobTransitions}): scoring runs outside them, and
 * each is retried when a concurrent writer (a cancel request) changed the row first.
 */
@Component
class BatchPredictionTransitions extends BackgroundJobTransitions<BatchPredictionJob> {

	BatchPredictionTransitions(BatchPredictionRepository repository, JobTransactions tx, ClusterProperties cluster) {
		super("Batch prediction", repository, tx, cluster.replica());
	}

	@Override
	protected String plural() {
		return "batch predictions";
	}

	/**
	 * Records the rows done so far (one write per chunk) and answers whether the run goes
	 * on.
	 */
	RunCheck progress(UUID id, int attempt, long scored, long skipped) {
		return check(id, attempt, job -> job.recordProgress(scored, skipped));
	}

	/**
	 * True when the job is this run's and now succeeded; false when another run took it
	 * over meanwhile.
	 */
	boolean succeed(UUID id, int attempt, long scored, long skipped, UUID resultDatasetId) {
		return fromRun(id, attempt, job -> {
			job.succeed(scored, skipped, resultDatasetId);
			return true;
		}).orElse(false);
	}

	void fail(UUID id, int attempt, BatchPredictionError error) {
		inRun(id, attempt, job -> job.fail(error));
	}

	void cancelled(UUID id, int attempt, long scored, long skipped) {
		inRun(id, attempt, job -> job.cancelled(scored, skipped));
	}

	/**
	 * Stopped because the service is shutting down: back to the queue, or cancelled if
	 * that was asked meanwhile.
	 */
	void stoppedByShutdown(UUID id, int attempt, long scored, long skipped) {
		inRun(id, attempt, job -> stoppedByShutdown(job, stopped -> stopped.cancelled(scored, skipped)));
	}

}
