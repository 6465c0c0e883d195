package io.fitserve.training;

import io.fitserve.ml.EpochLoss;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.AlgorithmRegistry;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingDivergedException;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fitserve.compute.ComputeBackend;
import io.fitserve.datasets.ColumnSchema;
import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.models.FeatureInfo;
import io.fitserve.models.ImportanceStatus;
import io.fitserve.models.ModelDraft;
import io.fitserve.models.ModelResiduals;
import io.fitserve.models.ModelService;
import io.fitserve.models.Provenance;
import io.fitserve.errors.DomainException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs one job: prepare data, fit preprocessing, train with ND4J, evaluate, store the
 * model.
 */
@Component
class TrainingRunner {

	private static final Log log = LogFactory.getLog(TrainingRunner.class);

	/**
	 * Progress reaches the database at most this often; polling reads the live copy in
	 * between.
	 */
	private static final long PERSIST_INTERVAL_NANOS = 2_000_000_000L;

	private final JobTransitions transitions;

	private final DatasetService datasets;

	private final ModelService models;

	private final LiveProgress live;

	private final TrainingExecutor executor;

	private final String appVersion;

	private TrainingMetrics trainingMetrics;

	private final ComputeBackend compute;

	private final Map<UUID, List<EpochLoss>> histories = new ConcurrentHashMap<>();

	/**
	 * fitserve.cluster.cancel-check-interval: how often a trainer reads its job's cancel
	 * flag from the database.
	 */
	private final long cancelCheckNanos;

	private final int maxAttempts;

	TrainingRunner(JobTransitions transitions, DatasetService datasets, ModelService models, LiveProgress live,
			TrainingExecutor executor, @Value("${info.app.version:dev}") String appVersion,
			io.fitserve.ClusterProperties cluster, ComputeBackend compute, TrainingProperties properties) {
		this.maxAttempts = properties.maxAttempts();
		this.cancelCheckNanos = cluster.cancelCheckInterval().toNanos();
		this.transitions = transitions;
		this.datasets = datasets;
		this.models = models;
		this.live = live;
		this.executor = executor;
		this.appVersion = appVersion;
		this.compute = compute;
	}

	/**
	 * Waits until the compute backend is chosen (ND4J must not load before: see
	 * io.fitserve.compute), then loads ND4J with its settings.
	 */
	void awaitComputeBackend() {
		compute.loadNd4j();
	}

	/**
	 * Computes permutation importance after the model is stored; without it (tests that
	 * build a runner by hand) it is computed before, as part of the job.
	 */
	private ImportanceWorker importanceWorker;

	@org.springframework.beans.factory.annotation.Autowired(required = false)
	void setImportanceWorker(ImportanceWorker importanceWorker) {
		this.importanceWorker = importanceWorker;
	}

	@org.springframework.beans.factory.annotation.Autowired(required = false)
	void setTrainingMetrics(TrainingMetrics trainingMetrics) {
		this.trainingMetrics = trainingMetrics;
	}

	List<EpochRecord> liveHistory(UUID jobId) {
		List<EpochLoss> history = histories.get(jobId);
		if (history == null) {
			return null;
		}
		synchronized (history) {
			return EpochRecord.of(List.copyOf(history));
		}
	}

	/**
	 * The epochs of a job's current stage from index from on; restarted when the stage
	 * began again below from.
	 */
	record LiveTail(int size, boolean restarted, List<EpochRecord> records) {
	}

	/**
	 * The live history's tail from index from (what an event stream has not seen yet), so
	 * a stream costs the new epochs per poll rather than the whole history; null when the
	 * job does not run on this replica.
	 */
	LiveTail liveHistoryFrom(UUID jobId, int from) {
		List<EpochLoss> history = histories.get(jobId);
		if (history == null) {
			return null;
		}
		synchronized (history) {
			int size = history.size();
			boolean restarted = size < from;
			int start = restarted ? 0 : from;
			return new LiveTail(size, restarted, EpochRecord.of(List.copyOf(history.subList(start, size))));
		}
	}

	void run(UUID jobId) {
		if (executor.shuttingDown()) {
			// stays queued in the database; the next start runs it
			return;
		}
		awaitComputeBackend();
		TrainingJob job = transitions.claim(jobId, maxAttempts).orElse(null);
		if (job == null) {
			return;
		}
		int attempt = job.getAttempt();
		TrainingSpec spec = job.getSpec();
		List<EpochLoss> history = Collections.synchronizedList(new ArrayList<>());
		histories.put(jobId, history);
		live.started(jobId, spec.hyperparameters().epochs() == null ? 0 : spec.hyperparameters().epochs());
		long start = System.nanoTime();
		try {
			train(job, attempt, spec, history, start);
		}
		catch (PreparedData.DataProblem ex) {
			transitions.fail(jobId, attempt,
					JobError.of("training-data", "The data cannot train this model", ex.getMessage()),
					List.copyOf(history), millisSince(start));
		}
		catch (TrainingDivergedException ex) {
			transitions.fail(jobId, attempt,
					JobError.of("training-diverged", "Training diverged",
							"Training diverged: " + ex.getMessage() + " (learningRate was "
									+ spec.hyperparameters().values().get("learningRate") + ")."),
					List.copyOf(history), millisSince(start));
		}
		catch (DomainException ex) {
			// storage faults (dataset-corrupt, insufficient-storage, ...): their own
			// problem type, not a class name
			log.error("Training job " + jobId + " failed: " + ex.getMessage());
			try {
				transitions.fail(jobId, attempt, JobError.of(ex), List.copyOf(history), millisSince(start));
			}
			catch (RuntimeException inner) {
				log.error("Could not record the failure of training job " + jobId, inner);
			}
		}
		catch (Throwable ex) {
			try {
				if (executor.shuttingDown()) {
					log.warn("Training job " + jobId + " stopped by the shutdown; it runs again at the next start", ex);
					transitions.stoppedByShutdown(jobId, attempt, List.copyOf(history), millisSince(start));
				}
				else {
					// the detail is for API clients: no exception class names or SQL; the
					// log has them
					log.error("Training job " + jobId + " failed", ex);
					transitions.fail(jobId, attempt,
							JobError.internal("Training failed unexpectedly; the service log has "
									+ "the details (training job " + jobId + ")."),
							List.copyOf(history), millisSince(start));
				}
			}
			catch (RuntimeException inner) {
				log.error("Could not record the end of training job " + jobId, inner);
			}
		}
		finally {
			live.finished(jobId);
			histories.remove(jobId);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void train(TrainingJob job, int attempt, TrainingSpec spec, List<EpochLoss> history, long start) {
		UUID jobId = job.getId();
		StageTimer timer = new StageTimer();
		Dataset dataset = datasets.get(spec.datasetId());
		DatasetFrame frame = datasets.frame(spec.datasetId());
		timer.lap("load");
		PreparedData data = PreparedData.of(frame, spec);
		// only the columns PreparedData took stay reachable: the target's values and
		// codes and unused columns may go while the fit runs (the store's cache holds
		// the frame softly)
		frame = null;
		timer.lap("prepare");
		boolean binary = spec.task() == Task.CLASSIFICATION && data.classLabels().size() == 2;
		CrossValidation cv = spec.crossValidation();
		// early stopping's choice of epochs carries over to fits without validation rows
		boolean earlyStopping = ((AlgorithmDescriptor) AlgorithmRegistry.get(spec.algorithm()))
			.earlyStopping(spec.hyperparameters());
		// the evaluated model's rows: the train split, or every non-test row after
		// cross-validation; a refit adds the rows held out from it, if there are any
		int[] evaluatedRows = cv == null ? data.train() : PreparedData.concat(data.train(), data.validation());
		int allRowCount = data.train().length + data.validation().length + data.test().length;
		boolean refit = spec.refit() && allRowCount > evaluatedRows.length;
		// built only for a refit: one int per row (40 MB at 10M rows)
		int[] allRows = refit ? PreparedData.concat(PreparedData.concat(data.train(), data.validation()), data.test())
				: null;
		int stages = (cv == null ? 1 : cv.folds() + 1) + (refit ? 1 : 0);

		Map<String, Object> metrics = new LinkedHashMap<>();
		FitOutput fit;
		Double threshold = null;
		String evaluatedOn;
		int fixedEpochs = 0;
		if (cv == null) {
			evaluatedOn = "train split";
			fit = ModelFitter.fit(spec, data, data.train(), data.validation(), 0,
					listener(jobId, attempt, history, start, 0, stages, "training"));
			timer.lap("fit");
			if (fit.cancelled()) {
				cancelled(jobId, attempt, fit.history(), start);
				return;
			}
			if (fit.details() != null && fit.details().get(FitOutput.CLUSTERING_METRICS) != null) {
				// clustering: the fit's own scores on the rows it grouped are the metrics
				metrics.put("clustering", fit.details().remove(FitOutput.CLUSTERING_METRICS));
			}
			Evaluation.Scored validation = Evaluation.score(fit.artifact(), data, data.validation());
			metrics.put("validation", validation.metrics());
			if (binary && data.validation().length > 0) {
				threshold = Metrics.bestF1Threshold(data.classes(data.validation()), validation.positiveScores());
			}
		}
		else {
			evaluatedOn = "train and validation splits (after cross-validation)";
			int[] nonTest = evaluatedRows;
			List<int[]> folds = CrossValidationLoop.folds(data, nonTest, cv.folds(), cv.stratified(), spec.seed());
			List<CrossValidationLoop.FoldFit> foldFits = CrossValidationLoop.run(spec, data, nonTest, folds,
					f -> listener(jobId, attempt, history, start, f, stages,
							"fold " + (f + 1) + " of " + folds.size()));
			List<Map<String, Object>> foldResults = new ArrayList<>();
			List<Object> foldMetrics = new ArrayList<>();
			int[] oofRows = new int[0];
			double[] oofScores = new double[0];
			double bestEpochs = 0;
			for (CrossValidationLoop.FoldFit fold : foldFits) {
				FitOutput foldFit = fold.fit();
				if (fold.cancelled()) {
					cancelled(jobId, attempt, foldFit.history(), start);
					return;
				}
				int f = fold.index();
				int[] validationRows = fold.validationRows();
				int[] trainRows = fold.trainRows();
				Evaluation.Scored scored = fold.scored();
				Object m = scored.metrics();
				foldMetrics.add(m);
				Map<String, Object> foldResult = new LinkedHashMap<>();
				foldResult.put("fold", f + 1);
				foldResult.put("trainRows", trainRows.length);
				foldResult.put("validationRows", validationRows.length);
				foldResult.put("bestEpoch", foldFit.bestEpoch());
				if (foldFit.details() != null && foldFit.details().get("resampling") != null) {
					// the fold's training part only: its validation rows are scored as
					// they are
					foldResult.put("resampling", foldFit.details().get("resampling"));
				}
				foldResult.put("metrics", m);
				foldResults.add(foldResult);
				bestEpochs += foldFit.bestEpoch();
				if (binary) {
					oofRows = PreparedData.concat(oofRows, validationRows);
					oofScores = concat(oofScores, scored.positiveScores());
				}
			}
			fixedEpochs = earlyStopping ? Math.max(1, (int) Math.round(bestEpochs / folds.size())) : 0;
			timer.lap("folds");
			fit = ModelFitter.fit(spec, data, nonTest, new int[0], fixedEpochs,
					listener(jobId, attempt, history, start, folds.size(), stages, "final model on all non-test rows"));
			timer.lap("fit");
			if (fit.cancelled()) {
				cancelled(jobId, attempt, fit.history(), start);
				return;
			}
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("folds", foldResults);
			summary.put("mean", Evaluation.aggregate(foldMetrics, spec.task(), false));
			summary.put("std", Evaluation.aggregate(foldMetrics, spec.task(), true));
			summary.put("finalEpochs", fixedEpochs == 0 ? null : fixedEpochs);
			metrics.put("crossValidation", summary);
			if (binary) {
				threshold = Metrics.bestF1Threshold(data.classes(oofRows), oofScores);
			}
		}
		// what is measured on held-out rows is measured with the evaluated model, which
		// they did not train
		Evaluation.Scored test = Evaluation.score(fit.artifact(), data, data.test());
		metrics.put("test", test.metrics());
		ModelResiduals residuals = null;
		if (spec.task() == Task.REGRESSION && data.test().length > 0) {
			residuals = Evaluation.residuals(test, "test", spec.seed());
		}
		else if (spec.task() == Task.REGRESSION && cv == null && data.validation().length > 0) {
			// held out from the evaluated model only without cross-validation (which
			// trains it on every non-test row)
			residuals = Evaluation.residuals(Evaluation.score(fit.artifact(), data, data.validation()), "validation",
					spec.seed());
		}
		timer.lap("evaluate");
		FitOutput served = fit;
		String servedOn = evaluatedOn;
		if (refit) {
			// the same hyperparameters on every row; no validation rows are left, so the
			// epochs early stopping chose are trained exactly
			int refitEpochs = !earlyStopping ? 0 : cv == null ? Math.max(1, fit.bestEpoch()) : fixedEpochs;
			served = ModelFitter.fit(spec, data, allRows, new int[0], refitEpochs,
					listener(jobId, attempt, history, start, stages - 1, stages, "refit on all rows"));
			timer.lap("refit");
			if (served.cancelled()) {
				cancelled(jobId, attempt, fit.history(), start);
				return;
			}
			fixedEpochs = refitEpochs;
			servedOn = allRowsName(data) + (cv == null ? "" : " (after cross-validation)");
			metrics.put("refit", refitSection(data, cv != null, evaluatedOn, evaluatedRows.length, servedOn,
					allRows.length, refitEpochs));
		}
		// training is done: a shutdown now lets the job finish rather than train it again
		if (live.cancelRequested(jobId)) {
			cancelled(jobId, attempt, fit.history(), start);
			return;
		}
		long trainingMs = millisSince(start);
		int servedRows = refit ? allRowCount : evaluatedRows.length;
		Integer servedEpochs = served.bestEpoch() > 0 ? served.bestEpoch() : null;
		Provenance provenance = new Provenance(dataset.getId(), dataset.getName(), dataset.getSha256(), jobId, spec,
				spec.seed(),
				new Provenance.SplitSizes(data.train().length, data.validation().length, data.test().length,
						data.droppedMissingTarget()),
				new Provenance.ServedModel(servedOn, servedRows, refit, servedEpochs), fit.history().size(),
				fit.bestEpoch(), fit.stoppedEarly(), served.details(), nd4jVersion(), nd4jBackend(),
				System.getProperty("java.version"), appVersion, Instant.now(), trainingMs, compute.name());
		// permutation importance is measured with the evaluated model. Without a refit
		// that is the stored one, so it is computed after the model is stored (the job
		// succeeds and the model serves meanwhile), or at the next start if this process
		// dies first. A refit's evaluated model is not stored, so it is computed here.
		Evaluation.ImportanceRows importanceRows = Evaluation.importanceRows(fit.artifact(), data, spec);
		boolean importanceLater = importanceRows != null && !refit && importanceWorker != null;
		Map<String, Object> importance = new LinkedHashMap<>();
		if (importanceRows != null && !importanceLater) {
			importance.put("permutation", Evaluation.permutation(fit.artifact(), importanceRows, spec.seed()));
		}
		importance.putAll(Evaluation.coefficients(served.artifact()));
		timer.lap("importance");
		ModelArtifact artifact = ArtifactProvenance.complete(served.artifact(), dataset.getId().toString(),
				dataset.getSha256(), appVersion, compute.name(), nd4jBackend(), servedOn,
				fixedEpochs > 0 ? fixedEpochs : null);
		ModelDraft draft = new ModelDraft(jobId, dataset.getId(), spec.algorithm(), spec.task(), spec.target(),
				features(served.artifact().preprocessing(), dataset), data.classLabels(), spec.hyperparameters(),
				metrics, threshold, importance, provenance, artifact, residuals,
				importanceLater ? ImportanceStatus.PENDING : ImportanceStatus.READY);
		// the job keeps the evaluated fit's history: it has the validation curve
		UUID[] modelId = new UUID[1];
		boolean stored = transitions.succeed(jobId, attempt, () -> modelId[0] = models.create(draft).getId(),
				model -> models.delete(model.toString()), fit.history(), trainingMs);
		timer.lap("save");
		if (importanceLater && stored) {
			importanceWorker.submit(modelId[0], fit.artifact(), importanceRows, spec.seed());
		}
		if (trainingMetrics != null) {
			trainingMetrics.succeeded(spec.algorithm(), trainingMs);
		}
		if (log.isInfoEnabled()) {
			log.info("Training job " + jobId + " (" + spec.algorithm() + ", " + data.train().length + " training rows"
					+ (refit ? ", refit on " + allRowCount : "") + ") took " + timer);
		}
	}

	/**
	 * "all rows: train, validation and test splits", naming the splits that have rows.
	 */
	static String allRowsName(PreparedData data) {
		List<String> splits = new ArrayList<>();
		splits.add("train");
		if (data.validation().length > 0) {
			splits.add("validation");
		}
		if (data.test().length > 0) {
			splits.add("test");
		}
		String last = splits.remove(splits.size() - 1);
		return "all rows: "
				+ (splits.isEmpty() ? last + " split" : String.join(", ", splits) + " and " + last + " splits");
	}

	/**
	 * The metrics' refit section: which model the metrics were measured on and which one
	 * is served.
	 */
	static Map<String, Object> refitSection(PreparedData data, boolean crossValidated, String evaluatedOn,
			int evaluatedRows, String servedOn, int servedRows, int refitEpochs) {
		Map<String, Object> section = new LinkedHashMap<>();
		section.put("servedModelRows", servedRows);
		section.put("servedModelTrainedOn", servedOn);
		section.put("evaluatedModelRows", evaluatedRows);
		section.put("evaluatedModelTrainedOn", evaluatedOn);
		section.put("refitEpochs", refitEpochs > 0 ? refitEpochs : null);
		String heldOut = crossValidated || data.validation().length == 0 ? "test" : "test and validation";
		section.put("note", heldOut + " metrics were measured on a model trained without those rows, on the "
				+ evaluatedRows + " rows of the " + evaluatedOn
				+ (crossValidated ? "; cross-validation metrics on the fold models" : "")
				+ "; the served model was then retrained on all " + servedRows + " rows with the same hyperparameters"
				+ (refitEpochs > 0 ? " for the " + refitEpochs + " epochs (boosting iterations) early stopping chose"
						: ""));
		return section;
	}

	/**
	 * Wall time per stage of a job, for the log line that says where a job's time went.
	 */
	private static final class StageTimer {

		private final StringBuilder text = new StringBuilder();

		private long last = System.nanoTime();

		private long total;

		void lap(String stage) {
			long now = System.nanoTime();
			long ms = (now - this.last) / 1_000_000;
			this.last = now;
			this.total += ms;
			this.text.append(this.text.isEmpty() ? "" : ", ").append(stage).append(' ').append(ms).append(" ms");
		}

		@Override
		public String toString() {
			return this.total + " ms: " + this.text;
		}

	}

	/**
	 * Training stopped at a batch or epoch boundary: a stop asked for by the user is a
	 * cancel; one caused by the service shutting down puts the job back in the queue for
	 * the next start.
	 */
	private void cancelled(UUID jobId, int attempt, List<EpochLoss> history, long start) {
		if (live.stopReason(jobId) == LiveProgress.StopReason.CANCEL || !executor.shuttingDown()) {
			transitions.cancelled(jobId, attempt, history, millisSince(start));
		}
		else {
			transitions.stoppedByShutdown(jobId, attempt, history, millisSince(start));
			log.info("Training job " + jobId + " stopped by the shutdown at epoch "
					+ (history.isEmpty() ? 0 : history.get(history.size() - 1).epoch())
					+ "; it is queued again and runs at the next start");
		}
	}

	private TrainingListener listener(UUID jobId, int attempt, List<EpochLoss> history, long start, int stage,
			int stages, String stageName) {
		long[] lastPersist = { System.nanoTime() };
		long[] lastCancelCheck = { System.nanoTime() };
		history.clear();
		live.stage(jobId, stage, stages, stageName);
		return new TrainingListener() {
			@Override
			public boolean onEpoch(EpochLoss loss, int epochs) {
				history.add(loss);
				live.update(jobId, loss, epochs);
				long now = System.nanoTime();
				if (now - lastPersist[0] >= PERSIST_INTERVAL_NANOS) {
					lastPersist[0] = now;
					transitions.progress(jobId, attempt, loss, (now - start) / 1_000_000);
				}
				return !cancelled();
			}

			@Override
			public boolean cancelled() {
				if (live.stopReason(jobId) != null || executor.shuttingDown()) {
					return true;
				}
				// a cancel received by another replica is only in the job's row; so is a
				// take-over by another replica after this one lost its heartbeat (the
				// results of this run would then be dropped)
				long now = System.nanoTime();
				if (now - lastCancelCheck[0] >= cancelCheckNanos) {
					lastCancelCheck[0] = now;
					if (transitions.check(jobId, attempt) != JobTransitions.RunCheck.GO_ON) {
						live.requestCancel(jobId);
						return true;
					}
				}
				return false;
			}
		};
	}

	private static double[] concat(double[] a, double[] b) {
		double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	/**
	 * The model's inputs; a feature read from a masked column records its mask mode
	 * (never the key), so predictions mask incoming raw values the same way.
	 */
	private static List<FeatureInfo> features(Preprocessing preprocessing, Dataset dataset) {
		List<FeatureInfo> features = new ArrayList<>();
		for (FeatureTransform f : preprocessing.features()) {
			ColumnSchema column = dataset.column(f.name());
			features.add(new FeatureInfo(f.name(), f.type(), f.numericFeature() ? null : f.categories(),
					column == null ? null : column.mask()));
		}
		return features;
	}

	private static long millisSince(long startNanos) {
		return (System.nanoTime() - startNanos) / 1_000_000;
	}

	static String nd4jBackend() {
		return Nd4j.getBackend().getClass().getSimpleName();
	}

	static String nd4jVersion() {
		try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
			if (in != null) {
				Properties p = new Properties();
				p.load(in);
				return p.getProperty("version", "unknown");
			}
		}
		catch (IOException ex) {
			// fall through
		}
		String v = Nd4j.class.getPackage().getImplementationVersion();
		return v == null ? "unknown" : v;
	}

}
