package io.fitserve.training;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.LinearCoefficients;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.explain.Explanations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.models.ModelResiduals;

/**
 * Metrics of a fitted model on some rows, through the same inference path as predictions.
 */
final class Evaluation {

	private Evaluation() {
	}

	/**
	 * The model's outputs on some rows, predicted once and read as metrics and as
	 * positive-class scores.
	 */
	record Scored(PreparedData data, int[] rows, Task task, double[][] out) {

		/** RegressionMetrics or ClassificationMetrics; null when there are no rows. */
		Object metrics() {
			return rows.length == 0 ? null : Evaluation.metrics(task, data, rows, out);
		}

		/**
		 * Probability of the second class (the positive one of a binary model) for each
		 * row.
		 */
		double[] positiveScores() {
			double[] p = new double[out.length];
			for (int i = 0; i < out.length; i++) {
				p[i] = out[i][1];
			}
			return p;
		}

	}

	static Scored score(ModelArtifact artifact, PreparedData data, int[] rows) {
		double[][] out = rows.length == 0 ? new double[0][]
				: artifact.predictBatch(artifact.preprocessing().transform(data.features(), rows));
		return new Scored(data, rows, artifact.task(), out);
	}

	/** RegressionMetrics or ClassificationMetrics; null when there are no rows. */
	static Object of(ModelArtifact artifact, PreparedData data, int[] rows) {
		return score(artifact, data, rows).metrics();
	}

	private static Object metrics(Task task, PreparedData data, int[] rows, double[][] out) {
		if (task == Task.REGRESSION) {
			double[] predicted = new double[out.length];
			for (int i = 0; i < out.length; i++) {
				predicted[i] = out[i][0];
			}
			return Metrics.regression(data.targets(rows), predicted);
		}
		return Metrics.classification(data.classes(rows), out, data.classLabels());
	}

	/**
	 * A regression model's (actual, predicted) pairs on the held-out split (scored: its
	 * predictions there), a sample of ModelResiduals.MAX_POINTS drawn with the seed when
	 * it has more, sorted by actual value (then predicted).
	 */
	static ModelResiduals residuals(Scored scored, String split, long seed) {
		double[] actual = scored.data().targets(scored.rows());
		double[] predicted = new double[actual.length];
		for (int i = 0; i < predicted.length; i++) {
			predicted[i] = scored.out()[i][0];
		}
		return ModelResiduals.of(split, actual, predicted, seed);
	}

	/** Repeats of each feature's permutation; seeded by the job's seed. */
	static final int IMPORTANCE_REPEATS = 5;

	/** Permutation importance uses at most this many rows, sampled with the seed. */
	static final int IMPORTANCE_MAX_ROWS = 5000;

	/**
	 * The rows permutation importance is measured on, encoded by the evaluated model's
	 * preprocessing (which those rows did not train): the test split (validation split
	 * without one), a seeded sample of IMPORTANCE_MAX_ROWS when it has more; null without
	 * held-out rows. Small, so computing the importance later need not keep the whole
	 * data set. TrainingRunner measures it before storing the model when there is a refit
	 * (the evaluated model is not stored), ImportanceWorker after it otherwise.
	 */
	record ImportanceRows(String split, double[][] encoded, double[] targets) {
	}

	static ImportanceRows importanceRows(ModelArtifact artifact, PreparedData data, TrainingSpec spec) {
		String split = data.test().length > 0 ? "test" : "validation";
		int[] rows = data.test().length > 0 ? data.test() : data.validation();
		if (rows.length > IMPORTANCE_MAX_ROWS) {
			int[] copy = rows.clone();
			java.util.SplittableRandom random = new java.util.SplittableRandom(spec.seed());
			for (int i = 0; i < IMPORTANCE_MAX_ROWS; i++) {
				int j = i + random.nextInt(copy.length - i);
				int t = copy[i];
				copy[i] = copy[j];
				copy[j] = t;
			}
			rows = java.util.Arrays.copyOf(copy, IMPORTANCE_MAX_ROWS);
		}
		if (rows.length == 0) {
			return null;
		}
		return new ImportanceRows(split, artifact.preprocessing().transform(data.features(), rows), data.targets(rows));
	}

	/**
	 * The report's permutation section: the evaluated model's score drop when each
	 * feature is shuffled, IMPORTANCE_REPEATS times with the seed.
	 */
	static Map<String, Object> permutation(ModelArtifact artifact, ImportanceRows rows, long seed) {
		return permutation(artifact, rows, seed, () -> {
		});
	}

	/**
	 * As {@link #permutation(ModelArtifact, ImportanceRows, long)}, calling
	 * beforeEachPass before each pass over the rows (one per feature and repeat, plus the
	 * baseline): where a background computation may pause.
	 */
	static Map<String, Object> permutation(ModelArtifact artifact, ImportanceRows rows, long seed,
			Runnable beforeEachPass) {
		Map<String, Object> permutation = new LinkedHashMap<>();
		permutation.put("split", rows.split());
		permutation.put("rows", rows.encoded().length);
		permutation.put("repeats", IMPORTANCE_REPEATS);
		permutation.put("metric", artifact.task() == Task.REGRESSION ? "r2" : "accuracy");
		permutation.put("features", Explanations.permutationImportance(batch -> {
			beforeEachPass.run();
			return artifact.predictBatch(batch);
		}, artifact.preprocessing(), rows.encoded(), rows.targets(), artifact.task(), IMPORTANCE_REPEATS, seed));
		return permutation;
	}

	/**
	 * Linear models: the served model's standardized coefficients (cheap: read off the
	 * weights); empty otherwise.
	 */
	static Map<String, Object> coefficients(ModelArtifact served) {
		Map<String, Object> out = new LinkedHashMap<>();
		if (served.predictor() instanceof LinearCoefficients linear) {
			out.put("standardizedCoefficients",
					linear.standardizedCoefficients(served.preprocessing(), served.classLabels()));
		}
		return out;
	}

	/**
	 * Mean (or population standard deviation) of each metric over folds; undefined ones
	 * are left out.
	 */
	static Map<String, Double> aggregate(List<Object> folds, Task task, boolean std) {
		Map<String, Double> out = new LinkedHashMap<>();
		for (String name : Metrics.names(task)) {
			double sum = 0;
			double sumSq = 0;
			int n = 0;
			for (Object m : folds) {
				double v = m == null ? Double.NaN : Metrics.score(m, name);
				if (Double.isFinite(v)) {
					sum += v;
					sumSq += v * v;
					n++;
				}
			}
			if (n > 0) {
				double mean = sum / n;
				out.put(name, std ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : mean);
			}
		}
		return out;
	}

}
