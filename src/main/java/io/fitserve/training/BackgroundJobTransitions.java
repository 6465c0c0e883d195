package io.fitserve.training;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import io.fitserve.errors.DomainException;
import io.fitserve.support.Ids;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.repository.CrudRepository;

/**
 * Short transactions around a background job's state changes, shared by training jobs,
 * tuning jobs and batch predictions: the work itself runs outside them, and each is
 * retried when a concurrent writer (a cancel request, the runner) changed the row first.
 * A run is identified by its attempt and replica, so that a replica that lost its
 * heartbeat and came back cannot overwrite the run that took its job over.
 */
public abstract class BackgroundJobTransitions<J extends BackgroundJob> {

	/**
	 * What a running job should do now, from its row: go on, stop for a cancel, or stop
	 * because another run took it over.
	 */
	public enum RunCheck {

		GO_ON, CANCEL, SUPERSEDED

	}

	private final Log log = LogFactory.getLog(getClass());

	private final CrudRepository<J, UUID> repository;

	private final JobTransactions tx;

	private final String replica;

	/** "Training job", "Tuning job", "Batch prediction": the start of messages. */
	private final String name;

	protected BackgroundJobTransitions(String name, CrudRepository<J, UUID> repository, JobTransactions tx,
			String replica) {
		this.name = name;
		this.repository = repository;
		this.tx = tx;
		this.replica = replica;
	}

	protected JobTransactions tx() {
		return tx;
	}

	protected CrudRepository<J, UUID> repository() {
		return repository;
	}

	/**
	 * Moves the job to running on this replica, as db-scheduler hands it over: a queued
	 * one at once; one still running was left by a replica or process that died (its
	 * execution was revived), so it is first recovered (see {@link #recover}). Empty when
	 * there is nothing to run.
	 */
	public Optional<J> claim(UUID id, int maxAttempts) {
		return tx.inTransaction(() -> repository.findById(id).filter(job -> {
			recover(job, maxAttempts);
			return job.getStatus() == JobStatus.QUEUED;
		}).map(job -> {
			job.start(replica);
			return job;
		}));
	}

	/** A job whose run died with its replica or process, decided at once. */
	public void recoverInterrupted(UUID id, int maxAttempts) {
		tx.inTransaction(() -> repository.findById(id).ifPresent(job -> recover(job, maxAttempts)));
	}

	/**
	 * A job found running whose run died with its replica or process: cancelled if its
	 * cancel was requested, failed once it has had maxAttempts runs, else back in the
	 * queue as its next attempt. A job in any other state is left alone.
	 */
	protected void recover(J job, int maxAttempts) {
		if (job.getStatus() != JobStatus.RUNNING) {
			return;
		}
		if (job.isCancelRequested()) {
			job.cancelInterrupted();
		}
		else if (job.getAttempt() >= maxAttempts) {
			job.failInterrupted(maxAttempts);
		}
		else {
			job.requeueAfterCrash();
		}
	}

	/**
	 * What a running job should do now, from its row: go on, stop for a cancel, or stop
	 * as superseded.
	 */
	public RunCheck check(UUID id, int attempt) {
		return check(id, attempt, job -> {
		});
	}

	/**
	 * As {@link #check(UUID, int)}, and when the run goes on, {@code progress} recorded
	 * on the job in the same transaction.
	 */
	protected RunCheck check(UUID id, int attempt, Consumer<J> progress) {
		return tx.inTransaction(() -> repository.findById(id).map(job -> {
			if (!job.isRunOf(attempt, replica)) {
				return RunCheck.SUPERSEDED;
			}
			if (job.isCancelRequested()) {
				return RunCheck.CANCEL;
			}
			progress.accept(job);
			return RunCheck.GO_ON;
		}).orElse(RunCheck.SUPERSEDED));
	}

	/**
	 * In one transaction, {@code change} applied to the job as its run {@code attempt} on
	 * this replica left it; empty (with a warning) when another run has taken the job
	 * over since.
	 */
	protected <T> Optional<T> fromRun(UUID id, int attempt, Function<J, T> change) {
		return tx.inTransaction(() -> ourRun(id, attempt).map(change));
	}

	/** As {@link #fromRun(UUID, int, Function)}, for a change with no answer. */
	protected void inRun(UUID id, int attempt, Consumer<J> change) {
		tx.inTransaction(() -> ourRun(id, attempt).ifPresent(change));
	}

	private Optional<J> ourRun(UUID id, int attempt) {
		return repository.findById(id).filter(job -> {
			if (job.isRunOf(attempt, replica)) {
				return true;
			}
			log.warn(name + " " + id + " attempt " + attempt + " on " + replica + " was taken over (now "
					+ job.getStatus().wireName() + ", attempt " + job.getAttempt() + " on " + job.getWorker()
					+ "); this run's result is dropped");
			return false;
		});
	}

	/**
	 * A running job stopped because the service is shutting down: back to the queue for
	 * the next start, or ended by {@code cancel} if the user asked for that meanwhile.
	 */
	protected void stoppedByShutdown(J job, Consumer<J> cancel) {
		if (job.isCancelRequested()) {
			cancel.accept(job);
		}
		else {
			job.requeueAfterShutdown();
		}
	}

	/**
	 * Cancels a queued job at once and flags a running one (its runner then stops); 404
	 * for an unknown job and 409 for a succeeded or failed one, read after any concurrent
	 * change.
	 */
	public J requestCancel(String id) {
		return tx.inTransaction(() -> {
			J job = Ids.parse(id).flatMap(repository::findById).orElseThrow(() -> DomainException.notFound(name, id));
			if (job.getStatus() == JobStatus.SUCCEEDED || job.getStatus() == JobStatus.FAILED) {
				throw DomainException.conflict(name + " '" + id + "' already " + job.getStatus().wireName()
						+ "; only queued or running " + plural() + " can be cancelled.");
			}
			job.requestCancel();
			return job;
		});
	}

	/** "jobs", "batch predictions": the end of the conflict message. */
	protected abstract String plural();

	/** The job, which must exist (its runner holds it). */
	protected J load(UUID id) {
		return repository.findById(id)
			.orElseThrow(() -> new IllegalStateException(name.toLowerCase() + " " + id + " vanished"));
	}

}
