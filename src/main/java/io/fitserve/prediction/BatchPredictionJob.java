package io.fitserve.prediction;

import java.time.Instant;
import java.util.UUID;

import io.fitserve.support.Json;
import io.fitserve.training.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A stored dataset scored by a model in the background, and its state machine from queued
 * to a finished state.
 */
@Entity
@Table(name = "batch_prediction")
public class BatchPredictionJob {

	@Id
	private UUID id;

	private UUID modelId;

	private UUID datasetId;

	@Enumerated(EnumType.STRING)
	private JobStatus status;

	/** fail or skip (CsvScoring.OnError). */
	private String onError;

	/** The request's threshold as JSON (a number or "best_f1"); null for none. */
	@Column(name = "threshold_json")
	private String thresholdJson;

	private boolean saveAsDataset;

	private String datasetName;

	private long rowsTotal;

	private long rowsScored;

	private long rowsSkipped;

	private UUID resultDatasetId;

	@Column(name = "error_json")
	private String errorJson;

	private boolean cancelRequested;

	private int attempt;

	/** The replica that started the latest run (fitserve.cluster.replica-name). */
	private String worker;

	private Instant createdAt;

	private Instant startedAt;

	private Instant finishedAt;

	@Version
	private long version;

	protected BatchPredictionJob() {
	}

	static BatchPredictionJob queued(UUID modelId, UUID datasetId, long rowsTotal, CsvScoring.OnError onError,
			Object threshold, boolean saveAsDataset, String datasetName) {
		BatchPredictionJob job = new BatchPredictionJob();
		job.id = UUID.randomUUID();
		job.modelId = modelId;
		job.datasetId = datasetId;
		job.status = JobStatus.QUEUED;
		job.onError = onError.name().toLowerCase(java.util.Locale.ROOT);
		job.thresholdJson = threshold == null ? null : Json.write(threshold);
		job.saveAsDataset = saveAsDataset;
		job.datasetName = datasetName;
		job.rowsTotal = rowsTotal;
		job.createdAt = Instant.now();
		job.attempt = 1;
		return job;
	}

	void start(String worker) {
		requireStatus(JobStatus.QUEUED, "start");
		this.worker = worker;
		status = JobStatus.RUNNING;
		startedAt = Instant.now();
		rowsScored = 0;
		rowsSkipped = 0;
	}

	void recordProgress(long scored, long skipped) {
		requireStatus(JobStatus.RUNNING, "record progress of");
		rowsScored = scored;
		rowsSkipped = skipped;
	}

	void succeed(long scored, long skipped, UUID resultDatasetId) {
		requireStatus(JobStatus.RUNNING, "complete");
		rowsScored = scored;
		rowsSkipped = skipped;
		this.resultDatasetId = resultDatasetId;
		finishWith(JobStatus.SUCCEEDED);
	}

	void fail(BatchPredictionError error) {
		if (status.finished()) {
			throw new IllegalStateException("batch prediction " + id + " is already " + status.wireName());
		}
		errorJson = Json.write(error);
		finishWith(JobStatus.FAILED);
	}

	/**
	 * Cancels a queued job at once; a running one is only flagged and stops after its
	 * current chunk.
	 */
	void requestCancel() {
		if (status == JobStatus.QUEUED) {
			finishWith(JobStatus.CANCELLED);
		}
		else if (status == JobStatus.RUNNING) {
			cancelRequested = true;
		}
		else if (status != JobStatus.CANCELLED) {
			throw new IllegalStateException("batch prediction " + id + " already " + status.wireName());
		}
	}

	void cancelled(long scored, long skipped) {
		requireStatus(JobStatus.RUNNING, "cancel");
		rowsScored = scored;
		rowsSkipped = skipped;
		finishWith(JobStatus.CANCELLED);
	}

	/**
	 * A run a dead process or replica left running: back to the queue as the next
	 * attempt.
	 */
	void requeueAfterCrash() {
		requireStatus(JobStatus.RUNNING, "requeue");
		attempt++;
		backToQueue();
	}

	/**
	 * A run stopped by a shutdown: back to the queue, not counted as an attempt (not the
	 * job's fault).
	 */
	void requeueAfterShutdown() {
		requireStatus(JobStatus.RUNNING, "requeue");
		backToQueue();
	}

	private void backToQueue() {
		status = JobStatus.QUEUED;
		startedAt = null;
		rowsScored = 0;
		rowsSkipped = 0;
	}

	private void finishWith(JobStatus finalStatus) {
		status = finalStatus;
		finishedAt = Instant.now();
	}

	private void requireStatus(JobStatus expected, String action) {
		if (status != expected) {
			throw new IllegalStateException(
					"cannot " + action + " batch prediction " + id + ": it is " + status.wireName());
		}
	}

	public UUID getId() {
		return id;
	}

	public UUID getModelId() {
		return modelId;
	}

	public UUID getDatasetId() {
		return datasetId;
	}

	public JobStatus getStatus() {
		return status;
	}

	CsvScoring.OnError getOnError() {
		return CsvScoring.OnError.parse(onError);
	}

	Object getThreshold() {
		return thresholdJson == null ? null : Json.read(thresholdJson, Object.class);
	}

	public boolean isSaveAsDataset() {
		return saveAsDataset;
	}

	public String getDatasetName() {
		return datasetName;
	}

	public long getRowsTotal() {
		return rowsTotal;
	}

	public long getRowsScored() {
		return rowsScored;
	}

	public long getRowsSkipped() {
		return rowsSkipped;
	}

	public UUID getResultDatasetId() {
		return resultDatasetId;
	}

	public BatchPredictionError getError() {
		return errorJson == null ? null : Json.read(errorJson, BatchPredictionError.class);
	}

	public boolean isCancelRequested() {
		return cancelRequested;
	}

	public int getAttempt() {
		return attempt;
	}

	public String getWorker() {
		return worker;
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

}
