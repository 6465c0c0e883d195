package io.fitserve.training;

import io.fitserve.ml.EpochLoss;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.fitserve.errors.DomainException;
import io.fitserve.support.Ids;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Short transactions around a job's state changes; the training itself runs outside them.
 * Each is retried when a concurrent writer (a cancel request, the trainer) changed the
 * row first.
 */
@Component
class JobTransitions {

	private static final Log log = LogFactory.getLog(JobTransitions.class);

	private final TrainingJobRepository repository;

	private final JobTransactions tx;

	private final String replica;

	JobTransitions(TrainingJobRepository repository, JobTransactions tx, io.fitserve.ClusterProperties cluster) {
		this.replica = cluster.replica();
		this.repository = repository;
		this.tx = tx;
	}

	/**
	 * Moves the job to running on this replica, as db-scheduler hands it over: a queued
	 * one at once; one still running was left by a replica that died (its execution was
	 * revived), so it runs again as its next attempt, or ends failed or cancelled (see
	 * {@link #recover}). Empty when there is nothing to run.
	 */
	public Optional<TrainingJob> claim(UUID id, int maxAttempts) {
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
	 * A job whose run died with its replica or process, decided at once: see
	 * {@link #recover}.
	 */
	public void recoverInterrupted(UUID id, int maxAttempts) {
		tx.inTransaction(() -> repository.findById(id)
			.filter(job -> job.getStatus() == JobStatus.RUNNING)
			.ifPresent(job -> recover(job, maxAttempts)));
	}

	/**
	 * The job as its run on this replica, attempt {@code attempt}, left it: empty (with a
	 * warning) when another replica has taken it over since, so a replica that lost its
	 * heartbeat and came back cannot overwrite the newer run.
	 */
	private Optional<TrainingJob> ourRun(UUID id, int attempt) {
		TrainingJob job = load(id);
		if (job.getStatus() != JobStatus.RUNNING || job.getAttempt() != attempt || !replica.equals(job.getWorker())) {
			log.warn("Training job " + id + " attempt " + attempt + " on " + replica + " was taken over (now "
					+ job.getStatus().wireName() + ", attempt " + job.getAttempt() + " on " + job.getWorker()
					+ "); this run's result is dropped");
			return Optional.empty();
		}
		return Optional.of(job);
	}

	/**
	 * What a running trainer should do now, from its job's row: go on, stop for a cancel,
	 * or stop as superseded.
	 */
	public RunCheck check(UUID id, int attempt) {
		return tx.inTransaction(() -> repository.findById(id).map(job -> {
			if (job.getStatus() != JobStatus.RUNNING || job.getAttempt() != attempt
					|| !replica.equals(job.getWorker())) {
				return RunCheck.SUPERSEDED;
			}
			return job.isCancelRequested() ? RunCheck.CANCEL : RunCheck.GO_ON;
		}).orElse(RunCheck.SUPERSEDED));
	}

	enum RunCheck {

		GO_ON, CANCEL, SUPERSEDED

	}

	public void progress(UUID id, int attempt, EpochLoss loss, long elapsedMs) {
		tx.inTransaction(() -> repository.findById(id)
			.filter(job -> job.getStatus() == JobStatus.RUNNING && job.getAttempt() == attempt)
			.ifPresent(job -> job.recordProgress(loss, elapsedMs)));
	}

	/**
	 * Stores the run's model with {@code store} and marks the job succeeded with it. When
	 * this run was taken over meanwhile (or marking the job fails), the stored model is
	 * removed again with {@code discard}, so a dropped run leaves no model behind. True
	 * when the job succeeded with this run's model.
	 */
	public boolean succeed(UUID id, int attempt, Supplier<UUID> store, Consumer<UUID> discard, List<EpochLoss> history,
			long elapsedMs) {
		UUID modelId = store.get();
		boolean ours;
		try {
			ours = tx.inTransaction(() -> ourRun(id, attempt).map(job -> {
				job.succeed(modelId, history, elapsedMs);
				return true;
			}).orElse(false));
		}
		catch (RuntimeException ex) {
			discardQuietly(discard, modelId, ex);
			throw ex;
		}
		if (!ours) {
			discard.accept(modelId);
		}
		return ours;
	}

	private static void discardQuietly(Consumer<UUID> discard, UUID modelId, RuntimeException cause) {
		try {
			discard.accept(modelId);
		}
		catch (RuntimeException ex) {
			cause.addSuppressed(ex);
		}
	}

	public void fail(UUID id, int attempt, JobError error, List<EpochLoss> history, long elapsedMs) {
		tx.inTransaction(() -> ourRun(id, attempt).ifPresent(job -> job.fail(error, history, elapsedMs)));
	}

	public void cancelled(UUID id, int attempt, List<EpochLoss> history, long elapsedMs) {
		tx.inTransaction(() -> ourRun(id, attempt).ifPresent(job -> job.cancelled(history, elapsedMs)));
	}

	/**
	 * A running job stopped because the service is shutting down: back to the queue for
	 * the next start, or cancelled if the user asked for that meanwhile.
	 */
	public void stoppedByShutdown(UUID id, int attempt, List<EpochLoss> history, long elapsedMs) {
		tx.inTransaction(() -> {
			TrainingJob job = ourRun(id, attempt).orElse(null);
			if (job == null) {
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
	 * Cancels a queued job at once and flags a running one (the caller then stops its
	 * trainer); 404 for an unknown job and 409 for a succeeded or failed one, read after
	 * any concurrent change.
	 */
	public TrainingJob requestCancel(String id) {
		return tx.inTransaction(() -> {
			TrainingJob job = Ids.parse(id)
				.flatMap(repository::findById)
				.orElseThrow(() -> DomainException.notFound("Training job", id));
			if (job.getStatus() == JobStatus.SUCCEEDED || job.getStatus() == JobStatus.FAILED) {
				throw DomainException.conflict("Training job '" + id + "' already " + job.getStatus().wireName()
						+ "; only queued or running jobs can be cancelled.");
			}
			job.requestCancel();
			return job;
		});
	}

	/**
	 * A job found running whose run died with its replica or process: back in the queue
	 * as its next attempt, or failed once it has had maxAttempts runs; cancelled if its
	 * cancel was requested. The training job of a hyperparameter search is not run on its
	 * own: it fails, and its search, run again, starts a new one.
	 */
	static void recover(TrainingJob job, int maxAttempts) {
		if (job.getTuningJobId() != null) {
			abandonSearchJob(job);
		}
		else if (job.isCancelRequested()) {
			job.cancelled(List.of(), job.getElapsedMs());
		}
		else if (job.getAttempt() >= maxAttempts) {
			job.fail(JobError.of("attempts-exhausted", "Interrupted too often",
					"The service stopped while this job was running on each of its " + job.getAttempt()
							+ " attempt(s) (fitserve.training.max-attempts is " + maxAttempts
							+ "); it is not run again. Submit it again, perhaps with a smaller model or "
							+ "dataset if the service ran out of memory."),
					List.of(), job.getElapsedMs());
		}
		else {
			job.requeueAfterCrash();
		}
	}

	/**
	 * The training job of a search whose run died: the search, run again, starts a new
	 * one.
	 */
	static void abandonSearchJob(TrainingJob job) {
		job.fail(JobError.of("service-restarted", "Interrupted by a service restart",
				"The service stopped while this job trained the best configuration of the hyperparameter search "
						+ job.getTuningJobId() + "; the search runs again and starts a new job."),
				List.of(), job.getElapsedMs());
	}

	private TrainingJob load(UUID id) {
		return repository.findById(id).orElseThrow(() -> new IllegalStateException("training job " + id + " vanished"));
	}

}
