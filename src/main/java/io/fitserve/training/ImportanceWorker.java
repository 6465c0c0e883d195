package io.fitserve.training;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import io.fitserve.datasets.DatasetService;
import io.fitserve.datasets.DatasetUsage;
import io.fitserve.errors.DomainException;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.models.ModelService;
import io.fitserve.models.TrainedModel;
import jakarta.annotation.PreDestroy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Computes permutation importance after the model is stored, off the training job's
 * critical path: the job has succeeded and the model serves meanwhile (importanceStatus
 * pending). One background thread, so it takes one core from training at most, and it
 * yields to training: before each pass over the rows it waits while a training job runs
 * on this replica (at most {@link #MAX_YIELD} in all per model), so a job submitted right
 * after another does not share the cores with the previous job's importance (jobs use
 * both cores). Nothing is lost when the process dies first: at the next start every model
 * still pending is computed again from its stored artifact, its dataset and its job's
 * spec (same seed, same rows, so the same values). Only models whose evaluated fit is the
 * stored one (no refit) are left pending by TrainingRunner.
 */
@Component
class ImportanceWorker implements DatasetUsage {

	private static final Log log = LogFactory.getLog(ImportanceWorker.class);

	/**
	 * Longest one model's computation waits, in all, for the training jobs running on
	 * this replica before it runs beside them: a steady stream of jobs delays importance,
	 * never starves it.
	 */
	static final java.time.Duration MAX_YIELD = java.time.Duration.ofSeconds(30);

	private static final long YIELD_POLL_MILLIS = 20;

	private final ModelService models;

	private final DatasetService datasets;

	private final TrainingJobRepository jobs;

	private final TrainingExecutor training;

	private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
		Thread t = new Thread(r, "feature-importance");
		t.setDaemon(true);
		return t;
	});

	/** Models queued or being computed on this replica. */
	private final Set<UUID> queued = ConcurrentHashMap.newKeySet();

	private volatile boolean stopping;

	ImportanceWorker(ModelService models, DatasetService datasets, TrainingJobRepository jobs,
			TrainingExecutor training) {
		this.models = models;
		this.datasets = datasets;
		this.jobs = jobs;
		this.training = training;
	}

	/**
	 * Right after a model is stored with pending importance: computes it from the rows
	 * the job already encoded with the evaluated (and stored) model.
	 */
	void submit(UUID modelId, ModelArtifact evaluated, Evaluation.ImportanceRows rows, long seed) {
		queue(modelId, yield -> Evaluation.permutation(evaluated, rows, seed, yield));
	}

	/**
	 * At start: the models a previous process stored but did not finish (it died or was
	 * stopped first).
	 */
	@EventListener(ApplicationReadyEvent.class)
	void recover() {
		for (UUID id : models.pendingImportance()) {
			log.info("Model " + id + " has no permutation importance yet; computing it now");
			queue(id, yield -> recompute(id, yield));
		}
	}

	/** Models still waiting on this replica (for tests). */
	int queuedCount() {
		return queued.size();
	}

	@Override
	public boolean inUse(UUID datasetId) {
		return models.pendingImportanceUses(datasetId);
	}

	private Map<String, Object> recompute(UUID id, Runnable yield) {
		TrainedModel model = models.get(id.toString());
		TrainingSpec spec = jobs.findById(model.getJobId())
			.orElseThrow(() -> DomainException.notFound("Training job", model.getJobId()))
			.getSpec();
		ModelArtifact artifact = models.artifact(model);
		PreparedData data = PreparedData.of(datasets.frame(spec.datasetId()), spec);
		Evaluation.ImportanceRows rows = Evaluation.importanceRows(artifact, data, spec);
		return rows == null ? null : Evaluation.permutation(artifact, rows, spec.seed(), yield);
	}

	private void queue(UUID id, Function<Runnable, Map<String, Object>> compute) {
		if (stopping || !queued.add(id)) {
			return;
		}
		try {
			executor.execute(() -> run(id, compute));
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// shutting down: stays pending, the next start computes it
			queued.remove(id);
		}
	}

	private void run(UUID id, Function<Runnable, Map<String, Object>> compute) {
		try {
			if (stopping) {
				return;
			}
			long start = System.nanoTime();
			Yield yield = new Yield();
			Map<String, Object> permutation = compute.apply(yield);
			if (models.importanceComputed(id, permutation) && log.isInfoEnabled()) {
				log.info("Permutation importance of model " + id + " took " + (System.nanoTime() - start) / 1_000_000
						+ " ms (after the model was stored), " + yield.waitedMillis()
						+ " ms of it waiting for training jobs");
			}
		}
		catch (Throwable ex) {
			if (stopping) {
				log.info("Permutation importance of model " + id + " stopped by the shutdown; the next start "
						+ "computes it");
				return;
			}
			log.error("Permutation importance of model " + id + " failed", ex);
			String reason = ex instanceof DomainException ? ex.getMessage()
					: "Computing the permutation importance failed unexpectedly; the service log has the details "
							+ "(model " + id + ").";
			try {
				models.importanceFailed(id, reason);
			}
			catch (RuntimeException inner) {
				log.error("Could not record that the permutation importance of model " + id + " failed", inner);
			}
		}
		finally {
			queued.remove(id);
		}
	}

	/**
	 * One computation's pauses: each waits while a training job runs on this replica (the
	 * one that stored the model included, until it has finished), until the computation
	 * has waited {@link #MAX_YIELD} in all.
	 */
	private final class Yield implements Runnable {

		private long waitedNanos;

		@Override
		public void run() {
			if (stopping) {
				throw new java.util.concurrent.CancellationException("shutting down");
			}
			long start = System.nanoTime();
			try {
				while (training.active() > 0 && this.waitedNanos + (System.nanoTime() - start) < MAX_YIELD.toNanos()) {
					Thread.sleep(YIELD_POLL_MILLIS);
					if (stopping) {
						throw new java.util.concurrent.CancellationException("shutting down");
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new java.util.concurrent.CancellationException("interrupted");
			}
			finally {
				this.waitedNanos += System.nanoTime() - start;
			}
		}

		long waitedMillis() {
			return this.waitedNanos / 1_000_000;
		}

	}

	@PreDestroy
	void stop() {
		stopping = true;
		executor.shutdownNow();
	}

}
