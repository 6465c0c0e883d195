package io.fitserve.prediction;

import java.util.UUID;

import io.fitserve.support.Json;
import io.fitserve.training.BackgroundJob;
import io.fitserve.training.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * A stored dataset scored by a model in the background, and its state machine from queued
 * to a finished state.
 */
@Entity
@Table(name = "batch_prediction")
public class BatchPredictionJob extends BackgroundJob {

	private UUID modelId;

	private UUID datasetId;

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

	/** The replica that started the latest run (fitserve.cluster.replica-name). */
	private String worker;

	protected BatchPredictionJob() {
	}

	static BatchPredictionJob queued(UUID modelId, UUID datasetId, long rowsTotal, CsvScoring.OnError onError,
			Object threshold, boolean saveAsDataset, String datasetName) {
		BatchPredictionJob job = new BatchPredictionJob();
		job.queue();
		job.modelId = modelId;
		job.datasetId = datasetId;
		job.onError = onError.name().toLowerCase(java.util.Locale.ROOT);
		job.thresholdJson = threshold == null ? null : Json.write(threshold);
		job.saveAsDataset = saveAsDataset;
		job.datasetName = datasetName;
		job.rowsTotal = rowsTotal;
		return job;
	}

	@Override
	protected String label() {
		return "batch prediction";
	}

	@Override
	protected void start(String worker) {
		super.start(worker);
		this.worker = worker;
		rowsScored = 0;
		rowsSkipped = 0;
	}

	void recordProgress(long scored, long skipped) {
		requireStatus(JobStatus.RUNNING, "record progress of");
		rowsScored = scored;
		rowsSkipped = skipped;
	}

	void succeed(long scored, long skipped, UUID resultDatasetId) {
		complete();
		rowsScored = scored;
		rowsSkipped = skipped;
		this.resultDatasetId = resultDatasetId;
	}

	void fail(BatchPredictionError error) {
		failWith(error);
	}

	void cancelled(long scored, long skipped) {
		cancelRun();
		rowsScored = scored;
		rowsSkipped = skipped;
	}

	@Override
	protected void cancelInterrupted() {
		cancelled(rowsScored, rowsSkipped);
	}

	/** Its partial result was a temporary file, never the job's result. */
	@Override
	protected void failInterrupted(int maxAttempts) {
		fail(new BatchPredictionError("attempts-exhausted",
				"The service stopped while this batch prediction was running on each of its " + getAttempt()
						+ " attempt(s) (fitserve.training.max-attempts is " + maxAttempts + "); it is not run again."));
	}

	@Override
	protected void clearProgress() {
		rowsScored = 0;
		rowsSkipped = 0;
	}

	public UUID getModelId() {
		return modelId;
	}

	public UUID getDatasetId() {
		return datasetId;
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
		return errorJson() == null ? null : Json.read(errorJson(), BatchPredictionError.class);
	}

	@Override
	public String getWorker() {
		return worker;
	}

}
