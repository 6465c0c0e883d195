package io.fitserve.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.fitserve.support.Ids;
import io.fitserve.web.ApiException;

import org.springframework.stereotype.Component;

/** Short transactions around a tuning job's state changes; trials run outside them. */
@Component
class TuningTransitions {

	private final TuningJobRepository repository;

	private final JobTransactions tx;

	TuningTransitions(TuningJobRepository repository, JobTransactions tx) {
		this.repository = repository;
		this.tx = tx;
	}

	public Optional<TuningJob> start(UUID id) {
		return tx.inTransaction(() -> repository.findById(id).filter(job -> job.getStatus() == JobStatus.QUEUED)
			.map(job -> {
				job.start();
				return job;
			}));
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

	/** Cancels a queued search or flags a running one; 404 unknown, 409 finished; retried on a concurrent update. */
	public TuningJob requestCancel(String id) {
		return tx.inTransaction(() -> {
			TuningJob job = Ids.parse(id).flatMap(repository::findById)
				.orElseThrow(() -> ApiException.notFound("Tuning job", id));
			if (job.getStatus() == JobStatus.SUCCEEDED || job.getStatus() == JobStatus.FAILED) {
				throw ApiException.conflict("Tuning job '" + id + "' already " + job.getStatus().wireName()
						+ "; only queued or running jobs can be cancelled.");
			}
			job.requestCancel();
			return job;
		});
	}

	/** A running search stopped by the shutdown: back to the queue, or cancelled if that was asked for. */
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
	 * Searches a previous process left queued or running, oldest first, put back in the queue: a
	 * running one as its next attempt, failed once it has had maxAttempts runs, cancelled if its
	 * cancel was requested.
	 *
	 * @return the ids to run, oldest first
	 */
	public List<UUID> recoverAbandoned(int maxAttempts) {
		return tx.inTransaction(() -> {
			List<TuningJob> abandoned = new ArrayList<>(
					repository.findByStatusIn(List.of(JobStatus.QUEUED, JobStatus.RUNNING)));
			abandoned.sort(Comparator.comparing(TuningJob::getCreatedAt).thenComparing(TuningJob::getId));
			List<UUID> toRun = new ArrayList<>();
			for (TuningJob job : abandoned) {
				boolean wasRunning = job.getStatus() == JobStatus.RUNNING;
				if (wasRunning && job.isCancelRequested()) {
					job.cancelled();
				}
				else if (wasRunning && job.getAttempt() >= maxAttempts) {
					job.fail(JobError.of("attempts-exhausted", "Interrupted too often",
							"The service stopped while this search was running on each of its " + job.getAttempt()
									+ " attempt(s) (fitserve.training.max-attempts is " + maxAttempts
									+ "); it is not run again. Submit it again."));
				}
				else {
					job.requeueAfterCrash();
					toRun.add(job.getId());
				}
			}
			return toRun;
		});
	}

	private TuningJob load(UUID id) {
		return repository.findById(id).orElseThrow(() -> new IllegalStateException("tuning job " + id + " vanished"));
	}

}
