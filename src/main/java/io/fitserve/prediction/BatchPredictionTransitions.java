package io.fitserve.prediction;

import java.util.Optional;
import java.util.UUID;

import io.fitserve.ClusterProperties;
import io.fitserve.errors.DomainException;
import io.fitserve.support.Ids;
import io.fitserve.training.JobStatus;
import io.fitserve.training.JobTransactions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Short transactions around a batch prediction's state changes, as training jobs have
 * them (training.JobTransitions): scoring runs outside them, and each is retried when a
 * concurrent writer (a cancel request) changed the row first.
 */
@Component
class BatchPredictionTransitions {

	private static final Log log = LogFactory.getLog(BatchPredictionTransitions.class);

	/**
	 * What a running job should do after a chunk: go on, stop for a cancel, or stop
	 * because another run took over.
	 */
	enum RunCheck {

		GO_ON, CANCEL, SUPERSEDED

	}

	private final BatchPredictionRepository repository;

	private final JobTransactions tx;

	private final String replica;

	BatchPredictionTransitions(BatchPredictionRepository repository, JobTransactions tx, ClusterProperties cluster) {
		this.repository = repository;
		this.tx = tx;
		this.replica = cluster.replica();
	}

	/**
	 * Moves the job to running on this replica as db-scheduler hands it over; one still
	 * running was left by a replica or process that died, and is first recovered (see
	 * {@link #recover}). Empty when there is nothing to run.
	 */
	Optional<BatchPredictionJob> claim(UUID id, int maxAttempts) {
		return tx.inTransaction(() -> repository.findById(id).filter(job -> {
			if (job.getStatus() == JobStatus.RUNNING) {
				recover(job, maxAttempts);
			}
			return job.getStatus() == JobStatus.QUEUED;
		}).map(job -> {
			job.start(replica);
			return job;
		}));
	}

	/**
	 * A job whose run died with its replica or process, decided at once (see
	 * {@link #recover}).
	 */
	void recoverInterrupted(UUID id, int maxAttempts) {
		tx.inTransaction(() -> repository.findById(id)
			.filter(job -> job.getStatus() == JobStatus.RUNNING)
			.ifPresent(job -> recover(job, maxAttempts)));
	}

	/**
	 * Records the rows done so far (one write per chunk) and answers whether the run goes
	 * on.
	 */
	RunCheck progress(UUID id, int attempt, long scored, long skipped) {
		return tx.inTransaction(() -> repository.findById(id).map(job -> {
			if (!ours(job, attempt)) {
				return RunCheck.SUPERSEDED;
			}
			if (job.isCancelRequested()) {
				return RunCheck.CANCEL;
			}
			job.recordProgress(scored, skipped);
			return RunCheck.GO_ON;
		}).orElse(RunCheck.SUPERSEDED));
	}

	/**
	 * True when the job is this run's and now succeeded; false when another run took it
	 * over meanwhile.
	 */
	boolean succeed(UUID id, int attempt, long scored, long skipped, UUID resultDatasetId) {
		return tx.inTransaction(() -> ourRun(id, attempt).map(job -> {
			job.succeed(scored, skipped, resultDatasetId);
			return true;
		}).orElse(false));
	}

	void fail(UUID id, int attempt, BatchPredictionError error) {
		tx.inTransaction(() -> ourRun(id, attempt).ifPresent(job -> job.fail(error)));
	}

	void cancelled(UUID id, int attempt, long scored, long skipped) {
		tx.inTransaction(() -> ourRun(id, attempt).ifPresent(job -> job.cancelled(scored, skipped)));
	}

	/**
	 * Stopped because the service is shutting down: back to the queue, or cancelled if
	 * that was asked meanwhile.
	 */
	void stoppedByShutdown(UUID id, int attempt, long scored, long skipped) {
		tx.inTransaction(() -> ourRun(id, attempt).ifPresent(job -> {
			if (job.isCancelRequested()) {
				job.cancelled(scored, skipped);
			}
			else {
				job.requeueAfterShutdown();
			}
		}));
	}

	/**
	 * Cancels a queued job at once and flags a running one (it stops after its current
	 * chunk); 404 for an unknown job, 409 for a succeeded or failed one, read after any
	 * concurrent change.
	 */
	BatchPredictionJob requestCancel(String id) {
		return tx.inTransaction(() -> {
			BatchPredictionJob job = Ids.parse(id)
				.flatMap(repository::findById)
				.orElseThrow(() -> DomainException.notFound("Batch prediction", id));
			if (job.getStatus() == JobStatus.SUCCEEDED || job.getStatus() == JobStatus.FAILED) {
				throw DomainException.conflict("Batch prediction '" + id + "' already " + job.getStatus().wireName()
						+ "; only queued or running batch predictions can be cancelled.");
			}
			job.requestCancel();
			return job;
		});
	}

	/**
	 * A job found running whose run died: cancelled if that was asked, failed after
	 * maxAttempts runs, else back in the queue as its next attempt (its partial result
	 * was a temporary file, never the job's result).
	 */
	static void recover(BatchPredictionJob job, int maxAttempts) {
		if (job.isCancelRequested()) {
			job.cancelled(job.getRowsScored(), job.getRowsSkipped());
		}
		else if (job.getAttempt() >= maxAttempts) {
			job.fail(new BatchPredictionError("attempts-exhausted",
					"The service stopped while this batch prediction " + "was running on each of its "
							+ job.getAttempt() + " attempt(s) (fitserve.training.max-attempts is " + maxAttempts
							+ "); it is not run again."));
		}
		else {
			job.requeueAfterCrash();
		}
	}

	private boolean ours(BatchPredictionJob job, int attempt) {
		return job.getStatus() == JobStatus.RUNNING && job.getAttempt() == attempt && replica.equals(job.getWorker());
	}

	/**
	 * The job as this run left it; empty (with a warning) when another replica's run has
	 * taken it over since.
	 */
	private Optional<BatchPredictionJob> ourRun(UUID id, int attempt) {
		return repository.findById(id).filter(job -> {
			if (ours(job, attempt)) {
				return true;
			}
			log.warn("Batch prediction " + id + " attempt " + attempt + " on " + replica + " was taken over (now "
					+ job.getStatus().wireName() + ", attempt " + job.getAttempt() + " on " + job.getWorker()
					+ "); this run's result is dropped");
			return false;
		});
	}

}
