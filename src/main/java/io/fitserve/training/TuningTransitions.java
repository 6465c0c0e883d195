package io.fitserve.training;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.fitserve.errors.DomainException;
import io.fitserve.support.Ids;

import org.springframework.stereotype.Component;

/** Short transactions around a tuning job's state changes; trials run outside them. */
@Component
class TuningTransitions {

	private final TuningJobRepository repository;

	private final JobTransactions tx;

	private final TrainingJobRepository trainingJobs;

	TuningTransitions(TuningJobRepository repository, JobTransactions tx, TrainingJobRepository trainingJobs) {
		this.repository = repository;
		this.tx = tx;
		this.trainingJobs = trainingJobs;
	}

	/**
	 * Moves the search to running, as db-scheduler hands it over: a queued one at once;
	 * one still running was left by a replica or process that died, so it runs again as
	 * its next attempt (the training job its earlier run started for the best
	 * configuration fails), or ends failed or cancelled. Empty when there is nothing to
	 * run.
	 */
	public Optional<TuningJob> claim(UUID id, int maxAttempts) {
		return tx.inTransaction(() -> repository.findById(id).filter(job -> {
			recover(job, maxAttempts);
			return job.getStatus() == JobStatus.QUEUED;
		}).map(job -> {
			job.start();
			return job;
		}));
	}

	/** A search whose run died with its replica or process, decided at once. */
	public void recoverInterrupted(UUID id, int maxAttempts) {
		tx.inTransaction(() -> repository.findById(id).ifPresent(job -> recover(job, maxAttempts)));
	}

	/** Whether the search's row says a cancel was requested (through any replica). */
	public boolean cancelRequestedInDatabase(UUID id) {
		return tx.inTransaction(() -> repository.findById(id).map(TuningJob::isCancelRequested).orElse(false));
	}

	public void recordTrials(UUID id, List<TrialResult> leaderboard, int done, Double best) {
		tx.inTransaction(() -> load(id).recordTrials(leaderboard, done, best));
	}

	public void succeed(UUID id, UUID modelId) {
		tx.inTransaction(() -> load(id).succeed(modelId));
	}

	public void fail(UUID id, JobError error) {
		tx.inTransaction(() -> load(id).fail(error));
	}

	public void cancelled(UUID id) {
		tx.inTransaction(() -> load(id).cancelled());
	}

	/**
	 * Cancels a queued search or flags a running one; 404 unknown, 409 finished; retried
	 * on a concurrent update.
	 */
	public TuningJob requestCancel(String id) {
		return tx.inTransaction(() -> {
			TuningJob job = Ids.parse(id)
				.flatMap(repository::findById)
				.orElseThrow(() -> DomainException.notFound("Tuning job", id));
			if (job.getStatus() == JobStatus.SUCCEEDED || job.getStatus() == JobStatus.FAILED) {
				throw DomainException.conflict("Tuning job '" + id + "' already " + job.getStatus().wireName()
						+ "; only queued or running jobs can be cancelled.");
			}
			job.requestCancel();
			return job;
		});
	}

	/**
	 * A running search stopped by the shutdown: back to the queue, or cancelled if that
	 * was asked for.
	 */
	public void stoppedByShutdown(UUID id) {
		tx.inTransaction(() -> {
			TuningJob job = load(id);
			if (job.getStatus() != JobStatus.RUNNING) {
				return;
			}
			if (job.isCancelRequested()) {
				job.cancelled();
			}
			else {
				job.requeueAfterShutdown();
			}
		});
	}

	/**
	 * A search found running whose run died with its replica or process: back in the
	 * queue as its next attempt, failed once it has had maxAttempts runs, cancelled if
	 * its cancel was requested.
	 */
	private void recover(TuningJob job, int maxAttempts) {
		for (TrainingJob child : trainingJobs.findByTuningJobIdAndStatusIn(job.getId(),
				List.of(JobStatus.QUEUED, JobStatus.RUNNING))) {
			JobTransitions.abandonSearchJob(child);
		}
		if (job.getStatus() != JobStatus.RUNNING) {
			return;
		}
		if (job.isCancelRequested()) {
			job.cancelled();
		}
		else if (job.getAttempt() >= maxAttempts) {
			job.fail(JobError.of("attempts-exhausted", "Interrupted too often",
					"The service stopped while this search was running on each of its " + job.getAttempt()
							+ " attempt(s) (fitserve.training.max-attempts is " + maxAttempts
							+ "); it is not run again. Submit it again."));
		}
		else {
			job.requeueAfterCrash();
		}
	}

	private TuningJob load(UUID id) {
		return repository.findById(id).orElseThrow(() -> new IllegalStateException("tuning job " + id + " vanished"));
	}

}
