package io.fitserve.training;

import java.time.Instant;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

/**
 * The lifecycle that training jobs, tuning jobs and batch predictions share: queued,
 * running, then succeeded, failed or cancelled; a cancel request, the attempt a crash cut
 * short, the times, the error. Each job type keeps its own progress and result fields and
 * clears or fills them in the hooks; the columns are named alike in the three tables
 * (training_job, tuning_job, batch_prediction).
 */
@MappedSuperclass
public abstract class BackgroundJob {

	@Id
	private UUID id;

	@Enumerated(EnumType.STRING)
	private JobStatus status;

	private Instant createdAt;

	private Instant startedAt;

	private Instant finishedAt;

	@Column(name = "error_json")
	private String errorJson;

	private boolean cancelRequested;

	private int attempt;

	@Version
	private long version;

	protected BackgroundJob() {
	}

	/** Makes this a new job with a fresh id, queued for its first attempt. */
	protected void queue() {
		id = UUID.randomUUID();
		status = JobStatus.QUEUED;
		createdAt = Instant.now();
		attempt = 1;
	}

	/** What the job is called in messages: "job", "tuning job", "batch prediction". */
	protected abstract String label();

	/**
	 * The replica running the latest run, or null where the job type does not record it.
	 */
	public abstract String getWorker();

	/**
	 * Moves a queued job to running on {@code worker} (recorded where the job type keeps
	 * it).
	 */
	protected void start(String worker) {
		requireStatus(JobStatus.QUEUED, "start");
		status = JobStatus.RUNNING;
		startedAt = Instant.now();
	}

	/** Ends a running job as succeeded; the caller then records the result. */
	protected void complete() {
		requireStatus(JobStatus.RUNNING, "complete");
		finish(JobStatus.SUCCEEDED);
	}

	/**
	 * Ends a job that is not finished yet as failed with {@code error} (stored as JSON).
	 */
	protected void failWith(Object error) {
		if (status.finished()) {
			throw new IllegalStateException(label() + " " + id + " is already " + status.wireName());
		}
		errorJson = Json.write(error);
		finish(JobStatus.FAILED);
	}

	/** Ends a running job as cancelled, at its runner's request. */
	protected void cancelRun() {
		requireStatus(JobStatus.RUNNING, "cancel");
		finish(JobStatus.CANCELLED);
	}

	/**
	 * Cancels a queued job at once (true); a running one is only flagged (false) and its
	 * runner stops at its next check.
	 */
	public boolean requestCancel() {
		if (status == JobStatus.QUEUED) {
			finish(JobStatus.CANCELLED);
			return true;
		}
		if (status == JobStatus.RUNNING) {
			cancelRequested = true;
			return false;
		}
		if (status == JobStatus.CANCELLED) {
			return true;
		}
		throw new IllegalStateException(label() + " " + id + " already " + status.wireName());
	}

	/**
	 * Puts a job that a dead process or replica left running back in the queue as its
	 * next attempt (a job that was still queued keeps its attempt); the lost run's
	 * progress is cleared.
	 */
	protected void requeueAfterCrash() {
		if (status == JobStatus.RUNNING) {
			attempt++;
		}
		else {
			requireStatus(JobStatus.QUEUED, "requeue");
		}
		backToQueue();
	}

	/**
	 * Puts a running job back in the queue because the service is shutting down: not the
	 * job's fault, so it does not use up an attempt.
	 */
	protected void requeueAfterShutdown() {
		requireStatus(JobStatus.RUNNING, "requeue");
		backToQueue();
	}

	/** A run that died with its process, cancel requested: cancelled with what it has. */
	protected abstract void cancelInterrupted();

	/** A run that died on each of its {@code maxAttempts} attempts: failed. */
	protected abstract void failInterrupted(int maxAttempts);

	/** Clears the progress of a run that goes back to the queue. */
	protected abstract void clearProgress();

	private void backToQueue() {
		status = JobStatus.QUEUED;
		startedAt = null;
		clearProgress();
	}

	private void finish(JobStatus finalStatus) {
		status = finalStatus;
		finishedAt = Instant.now();
	}

	protected void requireStatus(JobStatus expected, String action) {
		if (status != expected) {
			throw new IllegalStateException(
					"cannot " + action + " " + label() + " " + id + ": it is " + status.wireName());
		}
	}

	/** Whether this is the run of {@code attempt} on {@code replica}, still running. */
	boolean isRunOf(int attempt, String replica) {
		return status == JobStatus.RUNNING && this.attempt == attempt && replica.equals(getWorker());
	}

	protected String errorJson() {
		return errorJson;
	}

	public UUID getId() {
		return id;
	}

	public JobStatus getStatus() {
		return status;
	}

	public Instant getCreatedAt() {
		return createdAt;
	}

	public Instant getStartedAt() {
		return startedAt;
	}

	public Instant getFinishedAt() {
		return finishedAt;
	}

	public boolean isCancelRequested() {
		return cancelRequested;
	}

	public int getAttempt() {
		return attempt;
	}

}
