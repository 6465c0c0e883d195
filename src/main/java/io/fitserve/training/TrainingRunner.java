package io.fitserve.training;

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

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.FeatureTransform;
import io.fitserve.ml.Metrics;
import io.fitserve.ml.ModelArtifact;
import io.fitserve.ml.Network;
import io.fitserve.ml.NetworkTrainer;
import io.fitserve.ml.Preprocessing;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingDivergedException;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.TrainingResult;
import io.fitserve.models.FeatureInfo;
import io.fitserve.models.ModelDraft;
import io.fitserve.models.ModelService;
import io.fitserve.models.Provenance;
import io.fitserve.models.TrainedModel;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.nd4j.linalg.factory.Nd4j;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Runs one job: prepare data, fit preprocessing, train with ND4J, evaluate, store the model. */
@Component
class TrainingRunner {

	private static final Log log = LogFactory.getLog(TrainingRunner.class);

	/** Progress reaches the database at most this often; polling reads the live copy in between. */
	private static final long PERSIST_INTERVAL_NANOS = 2_000_000_000L;

	private final JobTransitions transitions;

	private final DatasetService datasets;

	private final ModelService models;

	private final LiveProgress live;

	private final TrainingExecutor executor;

	private final String appVersion;

	private final Map<UUID, List<EpochLoss>> histories = new ConcurrentHashMap<>();

	TrainingRunner(JobTransitions transitions, DatasetService datasets, ModelService models, LiveProgress live,
			TrainingExecutor executor, @Value("${info.app.version:dev}") String appVersion) {
		this.transitions = transitions;
		this.datasets = datasets;
		this.models = models;
		this.live = live;
		this.executor = executor;
		this.appVersion = appVersion;
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

	void run(UUID jobId) {
		TrainingJob job = transitions.start(jobId).orElse(null);
		if (job == null) {
			return;
		}
		TrainingSpec spec = job.getSpec();
		List<EpochLoss> history = Collections.synchronizedList(new ArrayList<>());
		histories.put(jobId, history);
		live.started(jobId, spec.hyperparameters().epochs());
		long start = System.nanoTime();
		try {
			train(job, spec, history, start);
		}
		catch (PreparedData.DataProblem ex) {
			transitions.fail(jobId, JobError.of("training-data", "The data cannot train this model", ex.getMessage()),
					List.copyOf(history), millisSince(start));
		}
		catch (TrainingDivergedException ex) {
			transitions.fail(jobId, JobError.of("training-diverged", "Training diverged",
					"Training diverged: " + ex.getMessage() + " (learningRate was "
							+ spec.hyperparameters().learningRate() + ")."),
					List.copyOf(history), millisSince(start));
		}
		catch (Throwable ex) {
			log.error("Training job " + jobId + " failed", ex);
			String detail = executor.shuttingDown() ? "The service stopped while this job was running; submit it again."
					: "Training failed unexpectedly: " + ex.getClass().getSimpleName()
							+ (ex.getMessage() == null ? "" : ": " + ex.getMessage());
			try {
				transitions.fail(jobId, JobError.internal(detail), List.copyOf(history), millisSince(start));
			}
			catch (RuntimeException inner) {
				log.error("Could not record the failure of training job " + jobId, inner);
			}
		}
		finally {
			live.finished(jobId);
			histories.remove(jobId);
		}
	}

	private void train(TrainingJob job, TrainingSpec spec, List<EpochLoss> history, long start) {
		UUID jobId = job.getId();
		Dataset dataset = datasets.get(spec.datasetId());
		DatasetFrame frame = datasets.frame(spec.datasetId());
		PreparedData data = PreparedData.of(frame, spec);
		Preprocessing preprocessing = Preprocessing.fit(data.features(), data.train());
		double[][] xTrain = preprocessing.transform(data.features(), data.train());
		double[][] xVal = preprocessing.transform(data.features(), data.validation());
		int numClasses = spec.task() == Task.CLASSIFICATION ? data.classLabels().size() : 0;

		long[] lastPersist = { System.nanoTime() };
		TrainingListener listener = new TrainingListener() {
			@Override
			public boolean onEpoch(EpochLoss loss, int epochs) {
				history.add(loss);
				live.update(jobId, loss);
				long now = System.nanoTime();
				if (now - lastPersist[0] >= PERSIST_INTERVAL_NANOS) {
					lastPersist[0] = now;
					transitions.progress(jobId, loss, (now - start) / 1_000_000);
				}
				return !cancelled();
			}

			@Override
			public boolean cancelled() {
				return live.cancelRequested(jobId) || executor.shuttingDown();
			}
		};
		TrainingResult result = NetworkTrainer.train(spec.toConfig(), xTrain, data.targets(data.train()), numClasses,
				xVal, data.targets(data.validation()), listener);
		if (executor.shuttingDown()) {
			throw new IllegalStateException("service stopping");
		}
		if (result.cancelled() || live.cancelRequested(jobId)) {
			transitions.cancelled(jobId, result.history(), millisSince(start));
			return;
		}

		Map<String, Object> metrics = new LinkedHashMap<>();
		metrics.put("test", evaluate(result, preprocessing, data, data.test(), numClasses));
		metrics.put("validation", evaluate(result, preprocessing, data, data.validation(), numClasses));
		ModelArtifact artifact = new ModelArtifact(spec.task(), data.classLabels(), preprocessing, result.weights());
		long trainingMs = millisSince(start);
		Provenance provenance = new Provenance(dataset.getId(), dataset.getName(), dataset.getSha256(), jobId, spec,
				spec.seed(),
				new Provenance.SplitSizes(data.train().length, data.validation().length, data.test().length,
						data.droppedMissingTarget()),
				result.history().size(), result.bestEpoch(), result.stoppedEarly(), nd4jVersion(), nd4jBackend(),
				System.getProperty("java.version"), appVersion, Instant.now(), trainingMs);
		TrainedModel model = models.create(new ModelDraft(jobId, dataset.getId(), spec.algorithm(), spec.task(),
				spec.target(), features(preprocessing), data.classLabels(), spec.hyperparameters(), metrics,
				provenance, artifact));
		transitions.succeed(jobId, model.getId(), result.history(), trainingMs);
	}

	/** Metrics of the trained model on one split, through the same inference path as predictions. */
	private static Object evaluate(TrainingResult result, Preprocessing preprocessing, PreparedData data, int[] rows,
			int numClasses) {
		if (rows.length == 0) {
			return null;
		}
		double[][] x = preprocessing.transform(data.features(), rows);
		double[][] out = Network.predictBatch(result.weights(), x, numClasses);
		if (numClasses == 0) {
			double[] predicted = new double[out.length];
			for (int i = 0; i < out.length; i++) {
				predicted[i] = out[i][0];
			}
			return Metrics.regression(data.targets(rows), predicted);
		}
		return Metrics.classification(data.classes(rows), out, data.classLabels());
	}

	private static List<FeatureInfo> features(Preprocessing preprocessing) {
		List<FeatureInfo> features = new ArrayList<>();
		for (FeatureTransform f : preprocessing.features()) {
			features.add(new FeatureInfo(f.name(), f.type(), f.numericFeature() ? null : f.categories()));
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
