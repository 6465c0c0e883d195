package io.fitserve.training;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import tools.jackson.core.type.TypeReference;

/**
 * A hyperparameter search and its state machine; the best configuration becomes an
 * ordinary training job.
 */
@Entity
@Table(name = "tuning_job")
public class TuningJob {

	private static final TypeReference<List<TrialResult>> TRIALS = new TypeReference<>() {
	};

	@Id
	private UUID id;

	private UUID datasetId;

	@Enumerated(EnumType.STRING)
	private JobStatus status;

	private String algorithm;

	@Column(name = "spec_json")
	private String specJson;

	private int trialsTotal;

	private int trialsDone;

	private Double bestScore;

	@Column(name = "leaderboard_json")
	private String leaderboardJson;

	private UUID bestModelId;

	@Column(name = "error_json")
	private String errorJson;

	private Instant createdAt;

	private Instant startedAt;

	private Instant finishedAt;

	private boolean cancelRequested;

	private int attempt;

	@Version
	private long version;

	protected TuningJob() {
	}

	static TuningJob queued(TuningSpec spec) {
		TuningJob job = new TuningJob();
		job.id = UUID.randomUUID();
		job.datasetId = spec.datasetId();
		job.status = JobStatus.QUEUED;
		job.algorithm = spec.algorithm();
		job.specJson = Json.write(spec);
		job.trialsTotal = spec.trials().size();
		job.createdAt = Instant.now();
		job.attempt = 1;
		return job;
	}

	void start() {
		require(JobStatus.QUEUED, "start");
		status = JobStatus.RUNNING;
		startedAt = Instant.now();
	}

	void recordTrials(List<TrialResult> leaderboard, int done, Double best) {
		require(JobStatus.RUNNING, "record trials of");
		this.leaderboardJson = Json.write(leaderboard);
		this.trialsDone = done;
		this.bestScore = best;
	}

	void succeed(UUID modelId) {
		require(JobStatus.RUNNING, "complete");
		status = JobStatus.SUCCEEDED;
		bestModelId = modelId;
		finishedAt = Instant.now();
	}

	void fail(JobError error) {
		if (status.finished()) {
			throw new IllegalStateException("tuning job " + id + " is already " + status.wireName());
		}
		status = JobStatus.FAILED;
		errorJson = Json.write(error);
		finishedAt = Instant.now();
	}

	/**
	 * Cancels a queued search at once; a running one is flagged and stops between folds.
	 */
	boolean requestCancel() {
		if (status == JobStatus.QUEUED) {
			status = JobStatus.CANCELLED;
			finishedAt = Instant.now();
			return true;
		}
		if (status == JobStatus.RUNNING) {
			cancelRequested = true;
			return false;
		}
		if (status == JobStatus.CANCELLED) {
			return true;
		}
		throw new IllegalStateException("tuning job " + id + " already " + status.wireName());
	}

	/**
	 * Puts a search that a previous process left running back in the queue as its next
	 * attempt (a queued one keeps its attempt); it starts over, with the same trials and
	 * folds.
	 */
	void requeueAfterCrash() {
		if (status == JobStatus.RUNNING) {
			attempt++;
		}
		else {
			require(JobStatus.QUEUED, "requeue");
		}
		backToQueue();
	}

	/**
	 * Back to the queue because the service is shutting down; does not use up an attempt.
	 */
	void requeueAfterShutdown() {
		require(JobStatus.RUNNING, "requeue");
		backToQueue();
	}

	private void backToQueue() {
		status = JobStatus.QUEUED;
		startedAt = null;
		trialsDone = 0;
		bestScore = null;
		leaderboardJson = null;
	}

	void cancelled() {
		require(JobStatus.RUNNING, "cancel");
		status = JobStatus.CANCELLED;
		finishedAt = Instant.now();
	}

	private void require(JobStatus expected, String action) {
		if (status != expected) {
			throw new IllegalStateException("cannot " + action + " tuning job " + id + ": it is " + status.wireName());
		}
	}

	public UUID getId() {
		return id;
	}

	public UUID getDatasetId() {
		return datasetId;
	}

	public JobStatus getStatus() {
		return status;
	}

	public TuningSpec getSpec() {
		return Json.read(specJson, TuningSpec.class);
	}

	public int getTrialsTotal() {
		return trialsTotal;
	}

	public int getTrialsDone() {
		return trialsDone;
	}

	public Double getBestScore() {
		return bestScore;
	}

	public List<TrialResult> getLeaderboard() {
		return leaderboardJson == null ? List.of() : Json.read(leaderboardJson, TRIALS);
	}

	public UUID getBestModelId() {
		return bestModelId;
	}

	public JobError getError() {
		return Json.read(errorJson, JobError.class);
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

	public int getAttempt() {
		return attempt;
	}

	public boolean isCancelRequested() {
		return cancelRequested;
	}

}
