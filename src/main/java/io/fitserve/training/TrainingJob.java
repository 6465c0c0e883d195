package io.fitserve.training;

import io.fitserve.ml.EpochLoss;
import java.util.List;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import tools.jackson.core.type.TypeReference;

/**
 * A request to train one model, and its state machine from queued to a finished state.
 */
@Entity
@Table(name = "training_job")
public class TrainingJob extends BackgroundJob {

	private static final TypeReference<List<EpochRecord>> HISTORY = new TypeReference<>() {
	};

	private UUID datasetId;

	private String algorithm;

	private String task;

	private String target;

	@Column(name = "spec_json")
	private String specJson;

	private UUID modelId;

	private int epoch;

	private int epochs;

	private Double trainLoss;

	private Double validationLoss;

	private long elapsedMs;

	@Column(name = "history_json")
	private String historyJson;

	private UUID tuningJobId;

	/** The replica that started the latest run (fitserve.cluster.replica-name). */
	private String worker;

	protected TrainingJob() {
	}

	static TrainingJob queued(TrainingSpec spec) {
		TrainingJob job = new TrainingJob();
		job.queue();
		job.datasetId = spec.datasetId();
		job.algorithm = spec.algorithm();
		job.task = spec.task().wireName();
		job.target = spec.target();
		job.specJson = Json.write(spec);
		Integer epochs = spec.hyperparameters().epochs();
		job.epochs = epochs == null ? 0 : epochs;
		return job;
	}

	/** The training job a hyperparameter search runs for its best configuration. */
	static TrainingJob queuedForTuning(TrainingSpec spec, UUID tuningJobId) {
		TrainingJob job = queued(spec);
		job.tuningJobId = tuningJobId;
		return job;
	}

	@Override
	protected String label() {
		return "job";
	}

	@Override
	protected void start(String worker) {
		super.start(worker);
		this.worker = worker;
	}

	void recordProgress(EpochLoss loss, long elapsedMs) {
		requireStatus(JobStatus.RUNNING, "record progress of");
		this.epoch = loss.epoch();
		this.trainLoss = finite(loss.trainLoss());
		this.validationLoss = finite(loss.validationLoss());
		this.elapsedMs = elapsedMs;
	}

	void succeed(UUID modelId, List<EpochLoss> history, long elapsedMs) {
		complete();
		recordRun(history, elapsedMs);
		this.modelId = modelId;
	}

	void fail(JobError error, List<EpochLoss> history, long elapsedMs) {
		failWith(error);
		recordRun(history, elapsedMs);
	}

	void cancelled(List<EpochLoss> history, long elapsedMs) {
		cancelRun();
		recordRun(history, elapsedMs);
	}

	@Override
	protected void cancelInterrupted() {
		cancelled(List.of(), elapsedMs);
	}

	@Override
	protected void failInterrupted(int maxAttempts) {
		fail(JobError.of("attempts-exhausted", "Interrupted too often",
				"The service stopped while this job was running on each of its " + getAttempt()
						+ " attempt(s) (fitserve.training.max-attempts is " + maxAttempts
						+ "); it is not run again. Submit it again, perhaps with a smaller model or "
						+ "dataset if the service ran out of memory."),
				List.of(), elapsedMs);
	}

	/**
	 * The training job of a search whose run died: the search, run again, starts a new
	 * one.
	 */
	void abandonForSearch() {
		fail(JobError.of("service-restarted", "Interrupted by a service restart",
				"The service stopped while this job trained the best configuration of the hyperparameter search "
						+ tuningJobId + "; the search runs again and starts a new job."),
				List.of(), elapsedMs);
	}

	@Override
	protected void clearProgress() {
		epoch = 0;
		trainLoss = null;
		validationLoss = null;
		elapsedMs = 0;
		historyJson = null;
	}

	/** The time a finished run took and, if it recorded any, its epochs. */
	private void recordRun(List<EpochLoss> history, long elapsedMs) {
		this.elapsedMs = elapsedMs;
		if (history != null && !history.isEmpty()) {
			this.historyJson = Json.write(EpochRecord.of(history));
			EpochLoss last = history.get(history.size() - 1);
			this.epoch = last.epoch();
			this.trainLoss = finite(last.trainLoss());
			this.validationLoss = finite(last.validationLoss());
		}
	}

	private static Double finite(double v) {
		return Double.isFinite(v) ? v : null;
	}

	public UUID getDatasetId() {
		return datasetId;
	}

	public TrainingSpec getSpec() {
		return Json.read(specJson, TrainingSpec.class);
	}

	public UUID getModelId() {
		return modelId;
	}

	public JobError getError() {
		return Json.read(errorJson(), JobError.class);
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

	@Override
	public String getWorker() {
		return worker;
	}

	public UUID getTuningJobId() {
		return tuningJobId;
	}

	public List<EpochRecord> getHistory() {
		return historyJson == null ? List.of() : Json.read(historyJson, HISTORY);
	}

}
