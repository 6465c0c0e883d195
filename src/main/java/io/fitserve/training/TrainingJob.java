package io.fitserve.training;

import io.fitserve.ml.EpochLoss;
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
 * A request to train one model, and its state machine from queued to a finished state.
 */
@Entity
@Table(name = "training_job")
public class TrainingJob {

	private static final TypeReference<List<EpochRecord>> HISTORY = new TypeReference<>() {
	};

	@Id
	private UUID id;

	private UUID datasetId;

	@Enumerated(EnumType.STRING)
	private JobStatus status;

	private String algorithm;

	private String task;

	private String target;

	@Column(name = "spec_json")
	private String specJson;

	private Instant createdAt;

	private Instant startedAt;

	private Instant finishedAt;

	private UUID modelId;

	@Column(name = "error_json")
	private String errorJson;

	private int epoch;

	private int epochs;

	private Double trainLoss;

	private Double validationLoss;

	private long elapsedMs;

	@Column(name = "history_json")
	private String historyJson;

	private boolean cancelRequested;

	private int attempt;

	private UUID tuningJobId;

	/** The replica that started the latest run (fitserve.cluster.replica-name). */
	private String worker;

	@Version
	private long version;

	protected TrainingJob() {
	}

	static TrainingJob queued(TrainingSpec spec) {
		TrainingJob job = new TrainingJob();
		job.id = UUID.randomUUID();
		job.datasetId = spec.datasetId();
		job.status = JobStatus.QUEUED;
		job.algorithm = spec.algorithm();
		job.task = spec.task().wireName();
		job.target = spec.target();
		job.specJson = Json.write(spec);
		job.createdAt = Instant.now();
		Integer epochs = spec.hyperparameters().epochs();
		job.epochs = epochs == null ? 0 : epochs;
		job.attempt = 1;
		return job;
	}

	/** The training job a hyperparameter search runs for its best configuration. */
	static TrainingJob queuedForTuning(TrainingSpec spec, UUID tuningJobId) {
		TrainingJob job = queued(spec);
		job.tuningJobId = tuningJobId;
		return job;
	}

	void start(String worker) {
		requireStatus(JobStatus.QUEUED, "start");
		this.worker = worker;
		status = JobStatus.RUNNING;
		startedAt = Instant.now();
	}

	void recordProgress(EpochLoss loss, long elapsedMs) {
		requireStatus(JobStatus.RUNNING, "record progress of");
		this.epoch = loss.epoch();
		this.trainLoss = finite(loss.trainLoss());
		this.validationLoss = finite(loss.validationLoss());
		this.elapsedMs = elapsedMs;
	}

	void succeed(UUID modelId, List<EpochLoss> history, long elapsedMs) {
		requireStatus(JobStatus.RUNNING, "complete");
		finishWith(JobStatus.SUCCEEDED, history, elapsedMs);
		this.modelId = modelId;
	}

	void fail(JobError error, List<EpochLoss> history, long elapsedMs) {
		if (status.finished()) {
			throw new IllegalStateException("job " + id + " is already " + status.wireName());
		}
		finishWith(JobStatus.FAILED, history, elapsedMs);
		this.errorJson = Json.write(error);
	}

	/**
	 * Cancels a queued job at once; a running one is only flagged and stops between
	 * batches.
	 */
	boolean requestCancel() {
		if (status == JobStatus.QUEUED) {
			finishWith(JobStatus.CANCELLED, List.of(), 0);
			return true;
		}
		if (status == JobStatus.RUNNING) {
			cancelRequested = true;
			return false;
		}
		if (status == JobStatus.CANCELLED) {
			return true;
		}
		throw new IllegalStateException("job " + id + " already " + status.wireName());
	}

	/**
	 * Puts a job that a previous process left running back in the queue as its next
	 * attempt; a job that was still queued keeps its attempt. Progress of the lost run is
	 * cleared.
	 */
	void requeueAfterCrash() {
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
	void requeueAfterShutdown() {
		requireStatus(JobStatus.RUNNING, "requeue");
		backToQueue();
	}

	private void backToQueue() {
		status = JobStatus.QUEUED;
		startedAt = null;
		epoch = 0;
		trainLoss = null;
		validationLoss = null;
		elapsedMs = 0;
		historyJson = null;
	}

	void cancelled(List<EpochLoss> history, long elapsedMs) {
		requireStatus(JobStatus.RUNNING, "cancel");
		finishWith(JobStatus.CANCELLED, history, elapsedMs);
	}

	private void finishWith(JobStatus finalStatus, List<EpochLoss> history, long elapsedMs) {
		this.status = finalStatus;
		this.finishedAt = Instant.now();
		this.elapsedMs = elapsedMs;
		if (history != null && !history.isEmpty()) {
			this.historyJson = Json.write(EpochRecord.of(history));
			EpochLoss last = history.get(history.size() - 1);
			this.epoch = last.epoch();
			this.trainLoss = finite(last.trainLoss());
			this.validationLoss = finite(last.validationLoss());
		}
	}

	private void requireStatus(JobStatus expected, String action) {
		if (status != expected) {
			throw new IllegalStateException("cannot " + action + " job " + id + ": it is " + status.wireName());
		}
	}

	private static Double finite(double v) {
		return Double.isFinite(v) ? v : null;
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

	public TrainingSpec getSpec() {
		return Json.read(specJson, TrainingSpec.class);
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

	public UUID getModelId() {
		return modelId;
	}

	public JobError getError() {
		return Json.read(errorJson, JobError.class);
	}

	public int getEpoch() {
		return epoch;
	}

	public int getEpochs() {
		return epochs;
	}

	public Double getTrainLoss() {
		return trainLoss;
	}

	public Double getValidationLoss() {
		return validationLoss;
	}

	public long getElapsedMs() {
		return elapsedMs;
	}

	public boolean isCancelRequested() {
		return cancelRequested;
	}

	public String getWorker() {
		return worker;
	}

	public int getAttempt() {
		return attempt;
	}

	public UUID getTuningJobId() {
		return tuningJobId;
	}

	public List<EpochRecord> getHistory() {
		return historyJson == null ? List.of() : Json.read(historyJson, HISTORY);
	}

}
