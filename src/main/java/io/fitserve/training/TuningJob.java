package io.fitserve.training;

import java.util.List;
import java.util.UUID;

import io.fitserve.support.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import tools.jackson.core.type.TypeReference;

/**
 * A hyperparameter search and its state machine; the best configuration becomes an
 * ordinary training job.
 */
@Entity
@Table(name = "tuning_job")
public class TuningJob extends BackgroundJob {

	private static final TypeReference<List<TrialResult>> TRIALS = new TypeReference<>() {
	};

	private UUID datasetId;

	private String algorithm;

	@Column(name = "spec_json")
	private String specJson;

	private int trialsTotal;

	private int trialsDone;

	private Double bestScore;

	@Column(name = "leaderboard_json")
	private String leaderboardJson;

	private UUID bestModelId;

	protected TuningJob() {
	}

	static TuningJob queued(TuningSpec spec) {
		TuningJob job = new TuningJob();
		job.queue();
		job.datasetId = spec.datasetId();
		job.algorithm = spec.algorithm();
		job.specJson = Json.write(spec);
		job.trialsTotal = spec.trials().size();
		return job;
	}

	@Override
	protected String label() {
		return "tuning job";
	}

	/** A search records no worker: its runs are not told apart by replica. */
	@Override
	public String getWorker() {
		return null;
	}

	void recordTrials(List<TrialResult> leaderboard, int done, Double best) {
		requireStatus(JobStatus.RUNNING, "record trials of");
		this.leaderboardJson = Json.write(leaderboard);
		this.trialsDone = done;
		this.bestScore = best;
	}

	void succeed(UUID modelId) {
		complete();
		bestModelId = modelId;
	}

	void fail(JobError error) {
		failWith(error);
	}

	void cancelled() {
		cancelRun();
	}

	@Override
	protected void cancelInterrupted() {
		cancelled();
	}

	@Override
	protected void failInterrupted(int maxAttempts) {
		fail(JobError.of("attempts-exhausted", "Interrupted too often",
				"The service stopped while this search was running on each of its " + getAttempt()
						+ " attempt(s) (fitserve.training.max-attempts is " + maxAttempts
						+ "); it is not run again. Submit it again."));
	}

	/** A search run again starts over, with the same trials and folds. */
	@Override
	protected void clearProgress() {
		trialsDone = 0;
		bestScore = null;
		leaderboardJson = null;
	}

	public UUID getDatasetId() {
		return datasetId;
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
		return Json.read(errorJson(), JobError.class);
	}

}
