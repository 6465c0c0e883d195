package io.fitserve.training.algorithms.kmeans;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.KMeansPredictor;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.cluster.ClusterMetrics;
import io.fitserve.ml.cluster.KMeans;
import io.fitserve.ml.cluster.KMeansModel;
import io.fitserve.ml.cluster.KMeansParams;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.KMeansParameters;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.WorkUnits;

/**
 * kmeans: k-means clustering as scikit-learn's KMeans (k-means++, Lloyd) on the standard
 * preprocessing (imputed, standardized, one-hot), on every row of the dataset. Its
 * metrics (inertia, silhouette, Davies-Bouldin, cluster sizes, centroids in original
 * units, and with k "auto" the silhouette per k) are the fit's details under
 * {@link #METRICS_KEY}.
 */
public final class KMeansAlgorithm implements AlgorithmDescriptor<KMeansParameters> {

	/** The details key of the clustering metrics the job stores as the model's. */
	public static final String METRICS_KEY = FitOutput.CLUSTERING_METRICS;

	/**
	 * Rows the silhouette is computed on at most (a seeded sample beyond): it costs
	 * rows^2 distances.
	 */
	public static final int SILHOUETTE_SAMPLE = 5000;

	static final int MAX_K = 1000;

	@Override
	public String name() {
		return "kmeans";
	}

	@Override
	public String description() {
		return "k-means clustering (as scikit-learn's KMeans: k-means++ restarts, Lloyd iterations); no target";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.CLUSTERING);
	}

	@Override
	public List<ParameterSpec> parameters() {
		return List.of(
				ParameterSpec.integer("k", 1, MAX_K, "Clusters (default 8)")
					.or(ParameterSpec.string("k", List.of("auto"),
							"\"auto\": the k in kMin..kMax with the highest silhouette")),
				ParameterSpec.integer("kMin", 2, MAX_K,
						"Smallest k tried when k is \"auto\" (default 2; unused with a number k)"),
				ParameterSpec.integer("kMax", 2, MAX_K,
						"Largest k tried when k is \"auto\" (default 10; unused with a number k)"),
				ParameterSpec.integer("nInit", 1, 1000, "k-means++ restarts; the lowest inertia is kept (default 10)")
					.or(ParameterSpec.string("nInit", List.of("auto"),
							"\"auto\": 1 restart, as scikit-learn's \"auto\" with k-means++")),
				ParameterSpec.integer("maxIter", 1, 100_000, "Lloyd iterations per restart at most (default 300)"),
				ParameterSpec.number("tol", 0, false, 1,
						"Stops a restart when the summed squared centroid shift is at most tol times the mean "
								+ "feature variance (default 0.0001)"));
	}

	@Override
	public Class<KMeansParameters> parametersType() {
		return KMeansParameters.class;
	}

	@Override
	public KMeansParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		Object k = intOrAuto(in, "k", 8);
		boolean auto = "auto".equals(k);
		int kMin = (int) in.integer("kMin", 2, 2, MAX_K);
		int kMax = (int) in.integer("kMax", 10, 2, MAX_K);
		if (auto && kMin > kMax) {
			in.error("kMin", "must be at most kMax (" + kMax + ")");
		}
		Object nInit = intOrAuto(in, "nInit", 10);
		if (nInit instanceof Integer n && (n < 1 || n > 1000)) {
			in.error("nInit", "must be between 1 and 1000 or \"auto\"");
			nInit = 10;
		}
		int maxIter = (int) in.integer("maxIter", 300, 1, 100_000);
		double tol = in.number("tol", 1e-4, 0, true, 1);
		return new KMeansParameters(k, kMin, kMax, nInit, maxIter, tol);
	}

	/** An integer (bounds checked by the caller for nInit), or "auto". */
	private static Object intOrAuto(ParameterReader in, String key, int fallback) {
		Object value = in.raw(key);
		if (value == null) {
			return fallback;
		}
		if ("auto".equals(value)) {
			return "auto";
		}
		if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
			if ("k".equals(key) && (n.doubleValue() < 1 || n.doubleValue() > MAX_K)) {
				in.error(key, "must be between 1 and " + MAX_K + " or \"auto\"");
				return fallback;
			}
			return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.doubleValue()));
		}
		in.error(key, "must be an integer or \"auto\"");
		return fallback;
	}

	@Override
	public WorkUnits workUnits(KMeansParameters p, long encodedWidth) {
		long clusters = 0;
		if (p.autoK()) {
			for (int k = p.kMin(); k <= p.kMax(); k++) {
				clusters += k;
			}
		}
		else {
			clusters = ((Number) p.k()).longValue();
		}
		return WorkUnits.lloydPasses((long) p.restarts() * p.maxIter() * clusters);
	}

	@Override
	public FitOutput fit(KMeansParameters p, FitInput in, TrainingListener listener) {
		FitInput.Prepared prepared = in.prepare(false);
		Preprocessing preprocessing = prepared.preprocessing();
		double[][] x = preprocessing.transform(in.features(), prepared.trainRows());
		List<Integer> ks = new ArrayList<>();
		if (p.autoK()) {
			for (int k = p.kMin(); k <= Math.min(p.kMax(), x.length - 1); k++) {
				ks.add(k);
			}
		}
		else {
			ks.add((Integer) p.k());
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("encodedFeatures", preprocessing.outputWidth());
		if (ks.isEmpty() || x.length < ks.get(0)) {
			// TrainingLimits refuses these before a job exists; a dataset that shrank is
			// a
			// data problem
			throw new IllegalArgumentException(
					x.length + " rows cannot form " + (ks.isEmpty() ? p.kMin() : ks.get(0)) + " clusters");
		}
		List<EpochLoss> history = new ArrayList<>();
		List<Map<String, Object>> scores = new ArrayList<>();
		KMeansModel best = null;
		double bestSilhouette = Double.NEGATIVE_INFINITY;
		try {
			for (int i = 0; i < ks.size(); i++) {
				int k = ks.get(i);
				KMeansModel model = KMeans.fit(x, new KMeansParams(k, p.restarts(), p.maxIter(), p.tol(), in.seed()),
						listener::cancelled);
				EpochLoss loss = new EpochLoss(i + 1, model.inertia(), Double.NaN);
				history.add(loss);
				if (!listener.onEpoch(loss, ks.size())) {
					return FitOutput.cancelled(details);
				}
				if (p.autoK()) {
					double silhouette = ClusterMetrics.silhouette(x, model.labels(), SILHOUETTE_SAMPLE, in.seed());
					Map<String, Object> score = new LinkedHashMap<>();
					score.put("k", k);
					score.put("silhouette", finite(silhouette));
					score.put("inertia", model.inertia());
					scores.add(score);
					// the first (smallest) k wins a tie
					if (best == null || silhouette > bestSilhouette) {
						best = model;
						bestSilhouette = silhouette;
					}
				}
				else {
					best = model;
				}
			}
		}
		catch (CancellationException ex) {
			return FitOutput.cancelled(details);
		}
		details.put("k", best.k());
		details.put("iterations", best.iterations());
		details.put("restarts", p.restarts());
		Map<String, Object> metrics = metrics(x, best, preprocessing, in.seed());
		if (p.autoK()) {
			Map<String, Object> selection = new LinkedHashMap<>();
			selection.put("method", "silhouette");
			selection.put("kMin", p.kMin());
			selection.put("kMax", p.kMax());
			selection.put("chosenK", best.k());
			selection.put("scores", scores);
			metrics.put("kSelection", selection);
		}
		details.put(METRICS_KEY, metrics);
		ModelArtifact artifact = new ModelArtifact(Task.CLUSTERING, List.of(), preprocessing,
				new KMeansPredictor(best.centroids()));
		return new FitOutput(artifact, List.copyOf(history), 0, false, false, details);
	}

	/**
	 * Inertia, silhouette (on a seeded sample of {@link #SILHOUETTE_SAMPLE} rows beyond
	 * that), Davies-Bouldin, sizes and centroids in the features' own units.
	 */
	static Map<String, Object> metrics(double[][] x, KMeansModel model, Preprocessing preprocessing, long seed) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("k", model.k());
		m.put("rows", x.length);
		m.put("inertia", model.inertia());
		m.put("silhouette", finite(ClusterMetrics.silhouette(x, model.labels(), SILHOUETTE_SAMPLE, seed)));
		m.put("silhouetteRows", Math.min(x.length, SILHOUETTE_SAMPLE));
		m.put("daviesBouldin", finite(ClusterMetrics.daviesBouldin(x, model.labels())));
		m.put("iterations", model.iterations());
		int[] sizes = model.sizes();
		m.put("clusterSizes", sizes);
		List<Map<String, Object>> centroids = new ArrayList<>();
		for (int c = 0; c < model.k(); c++) {
			Map<String, Object> centroid = new LinkedHashMap<>();
			centroid.put("cluster", c);
			centroid.put("size", sizes[c]);
			centroid.put("values", originalUnits(model.centroids()[c], preprocessing));
			centroids.add(centroid);
		}
		m.put("centroids", centroids);
		m.put("space",
				"inertia, silhouette and Davies-Bouldin are measured on the standardized, one-hot encoded "
						+ "features; centroids are given in the features' own units (a categorical feature's share of "
						+ "each category)");
		return m;
	}

	/**
	 * A centroid in the features' own units: numeric features un-standardized (mean +
	 * value x scale), categorical ones as the share of each category in the cluster.
	 */
	static Map<String, Object> originalUnits(double[] centroid, Preprocessing preprocessing) {
		Map<String, Object> values = new LinkedHashMap<>();
		int offset = 0;
		for (FeatureTransform f : preprocessing.features()) {
			if (f.numericFeature()) {
				values.put(f.name(), f.mean() + centroid[offset] * f.scale());
				offset++;
			}
			else {
				Map<String, Double> shares = new LinkedHashMap<>();
				for (String category : f.categories()) {
					shares.put(category, centroid[offset++]);
				}
				values.put(f.name(), shares);
			}
		}
		return values;
	}

	private static Double finite(double value) {
		return Double.isFinite(value) ? value : null;
	}

}
