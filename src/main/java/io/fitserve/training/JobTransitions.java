package io.fitserve.training;

import io.fitserve.ml.EpochLoss;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.fitserve.errors.DomainException;
import io.fitserve.support.Ids;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.fitserve.ml.EpochLoss;

import org.springframework.stereotype.Component;

/**
 * Short transactions around a training job's state changes; the training itself runs
 * outside them (the shared lifecycle is {@link BackgroundJobTransitions}'s).
 */
@Component
class JobTransitions extends BackgroundJobTransitions<TrainingJob> {

	JobTransitions(TrainingJobRepository repository, JobTransactions tx, io.fitserve.ClusterProperties cluster) {
		super("Training job", repository, tx, cluster.replica());
	}

	@Override
	protected String plural() {
		return "jobs";
	}

	public void progress(UUID id, int attempt, EpochLoss loss, long elapsedMs) {
		tx().inTransaction(() -> repository().findById(id)
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
			ours = fromRun(id, attempt, job -> {
				job.succeed(modelId, history, elapsedMs);
				return true;
			}).orElse(false);
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
		inRun(id, attempt, job -> job.fail(error, history, elapsedMs));
	}

	public void cancelled(UUID id, int attempt, List<EpochLoss> history, long elapsedMs) {
		inRun(id, attempt, job -> job.cancelled(history, elapsedMs));
	}

	/**
	 * A running job stopped because the service is shutting down: back to the queue for
	 * the next start, or cancelled if the user asked for that meanwhile.
	 */
	public void stoppedByShutdown(UUID id, int attempt, List<EpochLoss> history, long elapsedMs) {
		inRun(id, attempt, job -> stoppedByShutdown(job, stopped -> stopped.cancelled(history, elapsedMs)));
	}

	/**
	 * As for any job, except that the training job of a hyperparameter search is not run
	 * on its own: it fails, and its search, run again, starts a new one.
	 */
	@Override
	protected void recover(TrainingJob job, int maxAttempts) {
		if (job.getStatus() == JobStatus.RUNNING && job.getTuningJobId() != null) {
			job.abandonForSearch();
		}
		else {
			super.recover(job, maxAttempts);
		}
	}

}
