package io.fitserve.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.fitserve.ml.EpochLoss;
import io.fitserve.support.Ids;
import io.fitserve.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * Short transactions around a job's state changes; the training itself runs outside them. Each is
 * retried when a concurrent writer (a cancel request, the trainer) changed the row first.
 */
@Component
class JobTransitions {

	private final TrainingJobRepository repository;

	private final JobTransactions tx;

	private final String replica;

	JobTransitions(TrainingJobRepository repository, JobTransactions tx, io.fitserve.ClusterProperties cluster) {
		this.replica = cluster.replica();
		this.repository = repository;
		this.tx = tx;
	}

	/** Moves a queued job to running; empty if it was cancelled (or vanished) while queued. */
	public Optional<TrainingJob> start(UUID id) {
		return tx.inTransaction(() -> repository.findById(id).filter(job -> job.getStatus() == JobStatus.QUEUED)
			.map(job -> {
				job.start(replica);
				return job;
			}));
	}

	public void progress(UUID id, EpochLoss loss, long elapsedMs) {
		tx.inTransaction(() -> repository.findById(id).filter(job -> job.getStatus() == JobStatus.RUNNING)
			.ifPresent(job -> job.recordProgress(loss, elapsedMs)));
	}

	/** Whether the job's row says a cancel was requested (through any replica). */
	public boolean cancelRequestedInDatabase(UUID id) {
		return tx.inTransaction(() -> repository.findCancelRequestedById(id).orElse(false));
	}

	public void succeed(UUID id, UUID modelId, List<EpochLoss> history, long elapsedMs) {
		tx.inTransaction(() -> load(id).succeed(modelId, history, elapsedMs));
	}

	public void fail(UUID id, JobError error, List<EpochLoss> history, long elapsedMs) {
		tx.inTransaction(() -> load(id).fail(error, history, elapsedMs));
	}

	public void cancelled(UUID id, List<EpochLoss> history, long elapsedMs) {
		tx.inTransaction(() -> load(id).cancelled(history, elapsedMs));
	}

	/**
	 * A running job stopped because the service is shutting down: back to the queue for the next
	 * start, or cancelled if the user asked for that meanwhile.
	 */
	public void stoppedByShutdown(UUID id, List<EpochLoss> history, long elapsedMs) {
		tx.inTransaction(() -> {
			TrainingJob job = load(id);
			if (job.getStatus() != JobStatus.RUNNING) {
				return;
			}
			if (job.isCancelRequested()) {
				job.cancelled(history, elapsedMs);
			}
			else {
				job.requeueAfterShutdown();
			}
		});
	}

	/**
	 * Cancels a queued job at once and flags a running one (the caller then stops its trainer); 404
	 * for an unknown job and 409 for a succeeded or failed one, read after any concurrent change.
	 */
	public TrainingJob requestCancel(String id) {
		return tx.inTransaction(() -> {
			TrainingJob job = Ids.parse(id).flatMap(repository::findById)
				.orElseThrow(() -> ApiException.notFound("Training job", id));
			if (job.getStatus() == JobStatus.SUCCEEDED || job.getStatus() == JobStatus.FAILED) {
				throw ApiException.conflict("Training job '" + id + "' already " + job.getStatus().wireName()
						+ "; only queued or running jobs can be cancelled.");
			}
			job.requestCancel();
			return job;
		});
	}

	/**
	 * Jobs a previous process left queued or running, oldest first, put back in the queue to run
	 * again: a running one as its next attempt, or failed once it has had maxAttempts runs. A
	 * running one whose cancel was requested ends cancelled. The training job of a hyperparameter
	 * search is not run on its own: it fails, and its search, run again, starts a new one.
	 *
	 * @return the ids to run, oldest first
	 */
	public List<UUID> recoverAbandoned(int maxAttempts) {
		return tx.inTransaction(() -> {
			List<TrainingJob> abandoned = new ArrayList<>(
					repository.findByStatusIn(List.of(JobStatus.QUEUED, JobStatus.RUNNING)));
			abandoned.sort(Comparator.comparing(TrainingJob::getCreatedAt).thenComparing(TrainingJob::getId));
			List<UUID> toRun = new ArrayList<>();
			for (TrainingJob job : abandoned) {
				boolean wasRunning = job.getStatus() == JobStatus.RUNNING;
				if (job.getTuningJobId() != null) {
					job.fail(JobError.of("service-restarted", "Interrupted by a service restart",
							"The service stopped while this job trained the best configuration of the hyperparameter "
									+ "search " + job.getTuningJobId() + "; the search runs again and starts a new job."),
							List.of(), job.getElapsedMs());
				}
				else if (wasRunning && job.isCancelRequested()) {
					job.cancelled(List.of(), job.getElapsedMs());
				}
				else if (wasRunning && job.getAttempt() >= maxAttempts) {
					job.fail(JobError.of("attempts-exhausted", "Interrupted too often",
							"The service stopped while this job was running on each of its " + job.getAttempt()
									+ " attempt(s) (fitserve.training.max-attempts is " + maxAttempts
									+ "); it is not run again. Submit it again, perhaps with a smaller model or "
									+ "dataset if the service ran out of memory."),
							List.of(), job.getElapsedMs());
				}
				else {
					job.requeueAfterCrash();
					toRun.add(job.getId());
				}
			}
			return toRun;
		});
	}

	private TrainingJob load(UUID id) {
		return repository.findById(id).orElseThrow(() -> new IllegalStateException("training job " + id + " vanished"));
	}

}
