package io.fitserve.training;

import io.fitserve.training.algorithms.TrainingParameters;
import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingDivergedException;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.eval.Metrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.errors.DomainException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Runs a search: each trial is cross-validated on the non-test rows with the same seeded
 * folds; the best configuration is then trained as an ordinary training job (with the
 * same cross-validation), whose model the search links to.
 */
@Component
class TuningRunner {

	private static final Log log = LogFactory.getLog(TuningRunner.class);

	private final TuningTransitions transitions;

	private final DatasetService datasets;

	private final TrainingJobRepository trainingJobs;

	private final TrainingRunner trainingRunner;

	private final TrainingExecutor executor;

	private final Set<UUID> cancelRequests = ConcurrentHashMap.newKeySet();

	private final int maxAttempts;

	private final long cancelCheckNanos;

	TuningRunner(TuningTransitions transitions, DatasetService datasets, TrainingJobRepository trainingJobs,
			TrainingRunner trainingRunner, TrainingExecutor executor, TrainingProperties properties,
			io.fitserve.ClusterProperties cluster) {
		this.maxAttempts = properties.maxAttempts();
		this.cancelCheckNanos = cluster.cancelCheckInterval().toNanos();
		this.transitions = transitions;
		this.datasets = datasets;
		this.trainingJobs = trainingJobs;
		this.trainingRunner = trainingRunner;
		this.executor = executor;
	}

	void requestCancel(UUID id) {
		cancelRequests.add(id);
	}

	void run(UUID id) {
		if (executor.shuttingDown()) {
			// stays queued in the database; the next start runs it
			return;
		}
		trainingRunner.awaitComputeBackend();
		TuningJob job = transitions.claim(id, maxAttempts).orElse(null);
		if (job == null) {
			return;
		}
		try {
			search(id, job.getSpec());
		}
		catch (DomainException ex) {
			// storage faults (dataset-corrupt, insufficient-storage, ...): their own
			// problem type, not a class name
			log.error("Tuning job " + id + " failed: " + ex.getMessage());
			try {
				transitions.fail(id, JobError.of(ex));
			}
			catch (RuntimeException inner) {
				log.error("Could not record the failure of tuning job " + id, inner);
			}
		}
		catch (Throwable ex) {
			try {
				if (executor.shuttingDown()) {
					log.info("Tuning job " + id
							+ " stopped by the shutdown; it is queued again and runs at the next start");
					transitions.stoppedByShutdown(id);
				}
				else {
					// the detail is for API clients: no exception class names or SQL; the
					// log has them
					log.error("Tuning job " + id + " failed", ex);
					transitions.fail(id, JobError.internal(
							"Tuning failed unexpectedly; the service log has the details (tuning job " + id + ")."));
				}
			}
			catch (RuntimeException inner) {
				log.error("Could not record the end of tuning job " + id, inner);
			}
		}
		finally {
			cancelRequests.remove(id);
		}
	}

	private void search(UUID id, TuningSpec spec) {
		long start = System.nanoTime();
		DatasetFrame frame = datasets.frame(spec.datasetId());
		boolean classification = spec.task() == Task.CLASSIFICATION;
		TrainingSpec template = spec.template();
		PreparedData data = PreparedData.of(frame, template);
		int[] nonTest = PreparedData.concat(data.train(), data.validation());
		List<int[]> folds = CrossValidationLoop.folds(data, nonTest, spec.folds(), classification, spec.seed());
		boolean higherIsBetter = Metrics.higherIsBetter(spec.metric());
		long[] lastCancelCheck = { System.nanoTime() };
		TrainingListener listener = new TrainingListener() {
			@Override
			public boolean onEpoch(EpochLoss loss, int epochs) {
				return !cancelled();
			}

			@Override
			public boolean cancelled() {
				if (cancelRequests.contains(id) || executor.shuttingDown()) {
					return true;
				}
				// a cancel received by another replica is only in the search's row
				long now = System.nanoTime();
				if (now - lastCancelCheck[0] >= cancelCheckNanos) {
					lastCancelCheck[0] = now;
					if (transitions.cancelRequestedInDatabase(id)) {
						cancelRequests.add(id);
						return true;
					}
				}
				return false;
			}
		};

		List<TrialResult> results = new ArrayList<>();
		TrainingSpec best = null;
		Double bestScore = null;
		for (int t = 0; t < spec.trials().size(); t++) {
			Map<String, Object> trial = spec.trials().get(t);
			if (listener.cancelled()) {
				if (executor.shuttingDown() && !cancelRequests.contains(id)) {
					throw new IllegalStateException("service stopping");
				}
				transitions.recordTrials(id, ranked(results, higherIsBetter), t, bestScore);
				transitions.cancelled(id);
				return;
			}
			if ((System.nanoTime() - start) / 1e9 > spec.timeBudgetSeconds()) {
				results.add(new TrialResult(null, t + 1, trial, "skipped", null, null, null, 0,
						"time budget of " + spec.timeBudgetSeconds() + " s spent"));
				continue;
			}
			long trialStart = System.nanoTime();
			List<io.fitserve.errors.FieldError> errors = new ArrayList<>();
			TrainingParameters h = SpecResolver.resolveHyperparameters(
					TuningResolver.merge(spec.hyperparameters(), trial), spec.algorithm(), spec.task(),
					data.classLabels(), errors);
			TrainingSpec trialSpec = template.withHyperparameters(h);
			try {
				List<Double> scores = new ArrayList<>();
				for (CrossValidationLoop.FoldFit fold : CrossValidationLoop.run(trialSpec, data, nonTest, folds,
						f -> listener)) {
					if (fold.cancelled()) {
						break;
					}
					scores.add(Metrics.score(fold.scored().metrics(), spec.metric()));
				}
				if (scores.size() < folds.size()) {
					continue;
				}
				double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
				double std = Math.sqrt(scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).average().orElse(0));
				boolean finite = Double.isFinite(mean);
				results.add(new TrialResult(null, t + 1, trial, finite ? "completed" : "failed", finite ? mean : null,
						finite ? std : null, scores.stream().map(s -> Double.isFinite(s) ? s : null).toList(),
						(System.nanoTime() - trialStart) / 1_000_000, finite ? null : spec.metric() + " is undefined"));
				if (finite && (bestScore == null || (higherIsBetter ? mean > bestScore : mean < bestScore))) {
					bestScore = mean;
					best = trialSpec;
				}
			}
			catch (RuntimeException ex) {
				boolean explained = ex instanceof PreparedData.DataProblem || ex instanceof TrainingDivergedException;
				if (!explained) {
					log.warn("Trial " + (t + 1) + " of tuning job " + id + " failed", ex);
				}
				String why = explained ? ex.getMessage()
						: "the trial failed unexpectedly; the service log has the details";
				results.add(new TrialResult(null, t + 1, trial, "failed", null, null, null,
						(System.nanoTime() - trialStart) / 1_000_000, why));
			}
			transitions.recordTrials(id, ranked(results, higherIsBetter), t + 1, bestScore);
		}
		if (cancelRequests.contains(id)) {
			transitions.cancelled(id);
			return;
		}
		if (executor.shuttingDown()) {
			throw new IllegalStateException("service stopping");
		}
		transitions.recordTrials(id, ranked(results, higherIsBetter), spec.trials().size(), bestScore);
		if (best == null) {
			transitions.fail(id, JobError.of("no-trial-completed", "No trial completed",
					"None of the " + spec.trials().size() + " trials produced a score; see the leaderboard's errors."));
			return;
		}
		TrainingJob finalJob = trainingJobs.save(TrainingJob.queuedForTuning(best, id));
		trainingRunner.run(finalJob.getId());
		if (executor.shuttingDown()) {
			throw new IllegalStateException("service stopping");
		}
		TrainingJob done = trainingJobs.findById(finalJob.getId()).orElseThrow();
		if (done.getStatus() == JobStatus.SUCCEEDED) {
			transitions.succeed(id, done.getModelId());
		}
		else if (done.getStatus() == JobStatus.CANCELLED) {
			transitions.cancelled(id);
		}
		else {
			JobError error = done.getError();
			transitions.fail(id,
					JobError.of("best-model-failed", "Training the best configuration failed",
							"Training job " + done.getId() + " for the best configuration "
									+ done.getStatus().wireName() + (error == null ? "" : ": " + error.detail())));
		}
	}

	/**
	 * Completed trials by score (best first, ties by trial number), then the failed and
	 * skipped ones.
	 */
	static List<TrialResult> ranked(List<TrialResult> results, boolean higherIsBetter) {
		Comparator<TrialResult> byScore = Comparator.comparingDouble(TrialResult::score);
		if (higherIsBetter) {
			byScore = byScore.reversed();
		}
		List<TrialResult> completed = results.stream()
			.filter(r -> r.score() != null)
			.sorted(byScore.thenComparingInt(TrialResult::trial))
			.toList();
		List<TrialResult> ranked = new ArrayList<>();
		for (int i = 0; i < completed.size(); i++) {
			ranked.add(completed.get(i).ranked(i + 1));
		}
		results.stream().filter(r -> r.score() == null).forEach(ranked::add);
		return ranked;
	}

}
