package io.fitserve.training;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * Short transactions around a tuning job's state changes; trials run outside them (the
 * shared lifecycle is {@link BackgroundJobTransitions}'s). A search records no worker, so
 * its changes apply to the row as it is, not to one run of it.
 */
@Component
class TuningTransitions extends BackgroundJobTransitions<TuningJob> {

	private final TrainingJobRepository trainingJobs;

	TuningTransitions(TuningJobRepository repository, JobTransactions tx, TrainingJobRepository trainingJobs,
			io.fitserve.ClusterProperties cluster) {
		super("Tuning job", repository, tx, cluster.replica());
		this.trainingJobs = trainingJobs;
	}

	@Override
	protected String plural() {
		return "jobs";
	}

	/** Whether the search's row says a cancel was requested (through any replica). */
	public boolean cancelRequestedInDatabase(UUID id) {
		return tx().inTransaction(() -> repository().findById(id).map(TuningJob::isCancelRequested).orElse(false));
	}

	public void recordTrials(UUID id, List<TrialResult> leaderboard, int done, Double best) {
		tx().inTransaction(() -> load(id).recordTrials(leaderboard, done, best));
	}

	public void succeed(UUID id, UUID modelId) {
		tx().inTransaction(() -> load(id).succeed(modelId));
	}

	public void fail(UUID id, JobError error) {
		tx().inTransaction(() -> load(id).fail(error));
	}

	public void cancelled(UUID id) {
		tx().inTransaction(() -> load(id).cancelled());
	}

	/**
	 * A running search stopped by the shutdown: back to the queue, or cancelled if that
	 * was asked for.
	 */
	public void stoppedByShutdown(UUID id) {
		tx().inTransaction(() -> {
			TuningJob job = load(id);
			if (job.getStatus() == JobStatus.RUNNING) {
				stoppedByShutdown(job, TuningJob::cancelled);
			}
		});
	}

	/**
	 * As for any job, after failing the training job an earlier run of the search started
	 * for its best configuration (whatever the search's own state): the search, run
	 * again, starts a new one.
	 */
	@Override
	protected void recover(TuningJob job, int maxAttempts) {
		for (TrainingJob child : trainingJobs.findByTuningJobIdAndStatusIn(job.getId(),
				List.of(JobStatus.QUEUED, JobStatus.RUNNING))) {
			child.abandonForSearch();
		}
		super.recover(job, maxAttempts);
	}

}
