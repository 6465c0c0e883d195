package io.fitserve.prediction;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.Explainable;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.explain.SamplingShapley;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import io.fitserve.datasets.ValueParser;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.models.ModelService;
import io.fitserve.privacy.MaskMode;
import io.fitserve.privacy.Pseudonymizer;
import io.fitserve.prediction.PredictionResponse.Contribution;
import io.fitserve.prediction.PredictionResponse.Explanation;
import io.fitserve.prediction.PredictionResponse.Prediction;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;

/**
 * Turns JSON rows into model inputs with the same parsing rules as CSV uploads, then
 * predicts with the model's own fitted preprocessing. The one way to predict: the
 * registry and the standard protocols (KServe V2, MLflow) turn their bodies into rows and
 * call {@link #predict}.
 */
@Service
public class PredictionService {

	/**
	 * Beyond this many, similar errors and warnings are summarised rather than listed.
	 */
	static final int MAX_LISTED = 100;

	/** Permutations per row of a sampled explanation unless the request says. */
	static final int DEFAULT_EXPLAIN_SAMPLES = 64;

	/** Most permutations per row a request may ask for. */
	static final int MAX_EXPLAIN_SAMPLES = 10_000;

	/** Rows per {@link ModelArtifact#predictBatch} call. */
	static final int BATCH_ROWS = 256;

	/**
	 * From this many rows (without explanations) the second half is predicted on another
	 * core when one is free (see {@link Halves}).
	 */
	static final int SPLIT_ROWS = 2048;

	/** Seed of a sampled explanation's permutations unless the request says. */
	static final long DEFAULT_EXPLAIN_SEED = 0;

	/** Marks a feature the row does not name (null is a value: missing, imputed). */
	private static final Object ABSENT = new Object();

	private final ModelService models;

	private final PredictionProperties properties;

	private final PredictionMetrics metrics;

	private final PredictionJsonReader reader;

	/** Masks incoming values of features trained on masked columns. */
	private final Pseudonymizer pseudonymizer;

	/** Each served model's features as the JSON reader needs them, by model id. */
	private final Map<java.util.UUID, PredictionJsonReader.Schema> schemas = new ConcurrentHashMap<>();

	@org.springframework.beans.factory.annotation.Autowired
	PredictionService(ModelService models, PredictionProperties properties, PredictionMetrics metrics, JsonMapper json,
			Pseudonymizer pseudonymizer) {
		this.pseudonymizer = pseudonymizer;
		this.models = models;
		this.properties = properties;
		this.metrics = metrics;
		this.reader = new PredictionJsonReader(json);
		models.onRemovedFromCache(this.schemas::remove);
	}

	/** For unit tests: no metrics, and the JSON settings the application's mapper has. */
	PredictionService(ModelService models, PredictionProperties properties) {
		byte[] key = new byte[32];
		new java.security.SecureRandom().nextBytes(key);
		this.pseudonymizer = Pseudonymizer.withKey(key);
		this.models = models;
		this.properties = properties;
		this.metrics = PredictionMetrics.none();
		this.reader = new PredictionJsonReader(
				JsonMapper.builder().enable(tools.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build());
	}

	/**
	 * What a model reads and answers, for batch scoring: its feature names and, for
	 * classifiers, its class labels.
	 */
	record Shape(List<String> features, List<String> classLabels, boolean clustering) {
	}

	/** 404 for an unknown model. */
	Shape shape(String id) {
		ModelArtifact artifact = models.serving(id).artifact();
		return new Shape(artifact.preprocessing().features().stream().map(FeatureTransform::name).toList(),
				artifact.task() == Task.CLASSIFICATION ? List.copyOf(artifact.classLabels()) : null,
				artifact.task() == Task.CLUSTERING);
	}

	/**
	 * 400 when threshold is not one this model takes (see {@link #predict}); 404 for an
	 * unknown model; its id.
	 */
	java.util.UUID checkThreshold(String id, Object threshold) {
		ModelService.ServingModel model = models.serving(id);
		threshold(threshold, model, model.artifact());
		return model.id();
	}

	public PredictionResponse predict(String id, PredictionRequest request) {
		long start = System.nanoTime();
		return predict(start, models.serving(id), request);
	}

	/**
	 * As {@link #predict(String, PredictionRequest)} for a model already looked up (a
	 * body the streaming reader left to this path): one cache lookup per request.
	 */
	PredictionResponse predictFound(ModelService.ServingModel model, PredictionRequest request) {
		return predict(System.nanoTime(), model, request);
	}

	private PredictionResponse predict(long start, ModelService.ServingModel model, PredictionRequest request) {
		if (request == null || request.rows() == null) {
			throw DomainException.invalid("rows is required.", List.of(FieldError.field("rows", "is required")));
		}
		List<Map<String, Object>> rows = request.rows();
		if (rows.isEmpty() || rows.size() > properties.maxRows()) {
			throw DomainException.invalid(
					"A request holds 1 to " + properties.maxRows() + " rows; this one has " + rows.size()
							+ " (fitserve.prediction.max-rows).",
					List.of(FieldError.field("rows", "must hold 1 to " + properties.maxRows() + " rows")));
		}
		ModelArtifact artifact = model.artifact();
		double threshold = threshold(request.threshold(), model, artifact);
		boolean explain = Boolean.TRUE.equals(request.explain());
		refuseExplainOfClusters(explain, artifact);
		List<String> warnings = new ArrayList<>();
		Sampling sampling = explain
				? sampling(request.explainSamples(), request.explainSeed(), artifact, rows.size(), warnings) : null;
		Preprocessing preprocessing = artifact.preprocessing();
		List<FeatureTransform> features = preprocessing.features();
		List<FieldError> errors = new ArrayList<>();
		int unlistedWarnings = 0;
		Map<String, Integer> ignoredKeys = null;
		Map<String, Integer> featureIndex = model.featureIndex();
		int width = features.size();
		Object[][] inputs = new Object[rows.size()][];
		for (int r = 0; r < rows.size(); r++) {
			Map<String, Object> row = rows.get(r);
			if (row == null) {
				errors.add(FieldError.row(r, null, "must be a JSON object"));
				continue;
			}
			// one hash lookup per key: place each raw value at its feature's position,
			// count the rest
			Object[] values = new Object[width];
			Arrays.fill(values, ABSENT);
			for (Map.Entry<String, Object> entry : row.entrySet()) {
				Integer j = featureIndex.get(entry.getKey());
				if (j != null) {
					values[j] = entry.getValue();
				}
				else {
					if (ignoredKeys == null) {
						ignoredKeys = new TreeMap<>();
					}
					ignoredKeys.merge(entry.getKey(), 1, Integer::sum);
				}
			}
			// then read them in feature order, so errors and warnings come in the same
			// order as before
			for (int j = 0; j < width; j++) {
				FeatureTransform feature = features.get(j);
				Object raw = values[j];
				if (raw == ABSENT) {
					String name = feature.name();
					errors.add(FieldError.row(r, name,
							"feature '" + name + "' is absent; send null to have it imputed as in training"));
					values[j] = null;
					continue;
				}
				if (feature.numericFeature()) {
					values[j] = numeric(raw, r, feature.name(), errors);
				}
				else {
					String name = feature.name();
					String category = category(raw, r, name, errors);
					MaskMode mask = model.mask(j);
					if (mask != null) {
						// as the training column was stored: a raw value becomes its
						// token
						// or shape before the lookup (and in the warning)
						category = pseudonymizer.apply(mask, category);
					}
					if (category != null && !preprocessing.isKnownCategory(j, category)) {
						if (warnings.size() < MAX_LISTED) {
							warnings.add("row " + r + ": '" + name + "' has the unseen category '" + category
									+ "'; treated as missing");
						}
						else {
							unlistedWarnings++;
						}
						category = null;
					}
					values[j] = category;
				}
			}
			inputs[r] = values;
		}
		if (!errors.isEmpty()) {
			int total = errors.size();
			throw DomainException.unprocessable(
					total + " problem(s) in the rows"
							+ (total > MAX_LISTED ? "; the first " + MAX_LISTED + " are listed" : "") + ".",
					errors.subList(0, Math.min(total, MAX_LISTED)));
		}
		if (unlistedWarnings > 0) {
			warnings.add("... and " + unlistedWarnings + " more unseen categories");
		}
		if (ignoredKeys != null) {
			ignoredKeys.forEach((key, count) -> warnings
				.add("'" + key + "' is not a feature of this model; ignored in " + count + " row(s)"));
		}
		PredictionResponse response = new PredictionResponse(model.id(), predictAll(artifact, inputs.length,
				r -> preprocessing.transformRow(inputs[r]), threshold, explain, sampling), warnings);
		metrics.record(model, rows.size(), System.nanoTime() - start);
		return response;
	}

	/**
	 * A JSON request body read by the streaming {@link PredictionJsonReader} straight
	 * into a primitive array in the model's feature order: the same answer as
	 * {@link #predict(String, PredictionRequest)} on the body bound to a
	 * {@link PredictionRequest}, warnings included.
	 * @throws PredictionJsonReader.Unsupported for a body the reader does not answer
	 * (every refused request among them): read it the reference way, which answers the
	 * problem as before
	 */
	PredictionResponse predictJson(String id, byte[] body) {
		long start = System.nanoTime();
		ModelService.ServingModel model;
		try {
			model = models.serving(id);
		}
		catch (DomainException ex) {
			// a body that does not bind is a 400 before the 404: the reference path
			// keeps that order
			throw new PredictionJsonReader.Unsupported("model");
		}
		ModelArtifact artifact = model.artifact();
		PredictionJsonReader.Schema schema = schema(model);
		PredictionJsonReader.Rows rows;
		try {
			// the usual body read from its bytes; anything else by Jackson's parser
			rows = PredictionJsonScanner.read(body, schema, properties.maxRows());
			if (rows == null) {
				rows = reader.read(body, schema, properties.maxRows());
			}
		}
		catch (PredictionJsonReader.Unsupported ex) {
			throw ex.withModel(model);
		}
		double threshold = threshold(rows.threshold(), model, artifact);
		boolean explain = Boolean.TRUE.equals(rows.explain());
		refuseExplainOfClusters(explain, artifact);
		List<String> warnings = new ArrayList<>();
		Sampling sampling = explain
				? sampling(rows.explainSamples(), rows.explainSeed(), artifact, rows.count(), warnings) : null;
		warnings.addAll(rows.unseen());
		if (rows.unlistedUnseen() > 0) {
			warnings.add("... and " + rows.unlistedUnseen() + " more unseen categories");
		}
		if (rows.ignoredKeys() != null) {
			rows.ignoredKeys()
				.forEach((key, count) -> warnings
					.add("'" + key + "' is not a feature of this model; ignored in " + count + " row(s)"));
		}
		int width = rows.width();
		double[] values = rows.values();
		PredictionResponse response = new PredictionResponse(model.id(),
				predictAll(artifact, rows.count(), r -> schema.encode(values, r * width), threshold, explain, sampling),
				warnings);
		metrics.record(model, rows.count(), System.nanoTime() - start);
		return response;
	}

	/** A clustering model has nothing to explain: 400 for explain. */
	private static void refuseExplainOfClusters(boolean explain, ModelArtifact artifact) {
		if (explain && artifact.task() == Task.CLUSTERING) {
			throw DomainException.invalid(
					"explain applies to regression and classification models; a clustering "
							+ "model's answer is its closest centroid and the distance to it.",
					List.of(FieldError.field("explain", "does not apply to clustering models")));
		}
	}

	private PredictionJsonReader.Schema schema(ModelService.ServingModel model) {
		PredictionJsonReader.Schema schema = schemas.get(model.id());
		if (schema == null || schema.preprocessing != model.artifact().preprocessing()) {
			schema = new PredictionJsonReader.Schema(model.artifact().preprocessing(), model.featureIndex(),
					model.masks(), pseudonymizer);
			schemas.put(model.id(), schema);
		}
		return schema;
	}

	/**
	 * How the rows of a model without exact explanations are explained: sampled Shapley
	 * values against these background rows, with the cost checked before any work.
	 */
	record Sampling(double[][] background, String backgroundSource, int[] widths, int samples, long seed,
			SamplingShapley.Plan plan) {
	}

	/**
	 * Null for models that explain exactly; otherwise the sampling settings, refused (400
	 * for a bad sample count, 422 over fitserve.prediction.max-explain-evaluations)
	 * before any row is read.
	 */
	private Sampling sampling(Integer explainSamples, Long explainSeed, ModelArtifact artifact, int rows,
			List<String> warnings) {
		if (artifact.predictor() instanceof Explainable) {
			if (explainSamples != null || explainSeed != null) {
				warnings.add("explainSamples and explainSeed apply to sampled explanations (mlp, svm) only; this "
						+ "model's explanations are exact and they were ignored");
			}
			return null;
		}
		int requested = (explainSamples != null) ? explainSamples : DEFAULT_EXPLAIN_SAMPLES;
		if (requested < 1 || requested > MAX_EXPLAIN_SAMPLES) {
			throw DomainException.invalid("explainSamples must be from 1 to " + MAX_EXPLAIN_SAMPLES + ".",
					List.of(FieldError.field("explainSamples", "must be from 1 to " + MAX_EXPLAIN_SAMPLES)));
		}
		long seed = (explainSeed != null) ? explainSeed : DEFAULT_EXPLAIN_SEED;
		Preprocessing preprocessing = artifact.preprocessing();
		int[] widths = preprocessing.features().stream().mapToInt(preprocessing::width).toArray();
		double[][] background = artifact.explanationBackground();
		SamplingShapley.Plan plan = SamplingShapley.plan(widths, background.length, requested);
		long total = multiplyCapped(plan.evaluations(), rows);
		if (total > properties.maxExplainEvaluations()) {
			String figure = rows + " row(s) x " + plan.evaluations() + " model evaluations per row (1 + "
					+ background.length + " background rows + " + plan.samples() + " permutations x "
					+ Math.max(0, Arrays.stream(widths).filter(w -> w > 0).count() - 1) + " x " + background.length
					+ ") = " + total;
			throw DomainException.unprocessable("The sampled explanation would cost " + figure
					+ " model evaluations, more than the limit of " + properties.maxExplainEvaluations()
					+ " (fitserve.prediction.max-explain-evaluations); send fewer rows or a smaller explainSamples.",
					List.of(FieldError.field("explain", "costs " + total + " model evaluations, more than the limit of "
							+ properties.maxExplainEvaluations() + " (fitserve.prediction.max-explain-evaluations)")));
		}
		String source = artifact.hasBackground() ? "training_sample" : "reference_row";
		if (!artifact.hasBackground()) {
			warnings.add("this model was trained before explanation backgrounds were stored: its contributions are "
					+ "measured against one reference row (numeric features at their training mean, categorical "
					+ "ones at their most frequent level); retrain it for a background of training rows");
		}
		return new Sampling(background, source, widths, requested, seed, plan);
	}

	private static long multiplyCapped(long a, long b) {
		long product = a * b;
		return (a != 0 && (product / a != b || product < 0)) ? Long.MAX_VALUE : product;
	}

	/**
	 * Predicts rows 0..count-1, each encoded by encoded (called from two threads for a
	 * large request: it must not share mutable state between rows).
	 */
	private static List<Prediction> predictAll(ModelArtifact artifact, int count, IntFunction<double[]> encoded,
			double threshold, boolean explain, Sampling sampling) {
		Prediction[] out = new Prediction[count];
		if (explain) {
			// an explanation costs far more than the prediction: row by row
			for (int r = 0; r < count; r++) {
				double[] x = encoded.apply(r);
				out[r] = prediction(artifact, x, artifact.predict(x), threshold, true, sampling);
			}
		}
		else {
			Halves.run(count, SPLIT_ROWS, (from, to) -> predictRange(artifact, encoded, threshold, out, from, to));
		}
		return Arrays.asList(out);
	}

	/**
	 * Rows from..to-1 into out, {@link #BATCH_ROWS} at a time through
	 * {@link ModelArtifact#predictBatch}, which gives each row the bits of its
	 * {@link ModelArtifact#predict} alone.
	 */
	private static void predictRange(ModelArtifact artifact, IntFunction<double[]> encoded, double threshold,
			Prediction[] out, int from, int to) {
		double[][] block = new double[Math.min(BATCH_ROWS, to - from)][];
		for (int first = from; first < to; first += BATCH_ROWS) {
			int n = Math.min(BATCH_ROWS, to - first);
			double[][] x = (n == block.length) ? block : new double[n][];
			for (int k = 0; k < n; k++) {
				x[k] = encoded.apply(first + k);
			}
			double[][] y = artifact.predictBatch(x);
			for (int k = 0; k < n; k++) {
				out[first + k] = prediction(artifact, x[k], y[k], threshold, false, null);
			}
		}
	}

	/** One row's answer from its encoded values x and the model's outputs y. */
	private static Prediction prediction(ModelArtifact artifact, double[] x, double[] y, double threshold,
			boolean explain, Sampling sampling) {
		if (artifact.task() == Task.CLUSTERING) {
			return Prediction.clustered((int) y[0], y[1]);
		}
		if (artifact.task() != Task.CLASSIFICATION) {
			Explanation explanation = null;
			if (explain) {
				explanation = (sampling != null) ? sampled(artifact, sampling, x, 0, "value", "value")
						: explanation(artifact, x, 0, "value");
			}
			return new Prediction(y[0], null, null, explanation);
		}
		List<String> labels = artifact.classLabels();
		// sized for its entries: the default table has 16 slots for two or three
		Map<String, Double> probabilities = new LinkedHashMap<>(labels.size() * 4 / 3 + 1);
		int best = 0;
		for (int c = 0; c < labels.size(); c++) {
			probabilities.put(labels.get(c), y[c]);
			if (y[c] > y[best]) {
				best = c;
			}
		}
		if (labels.size() == 2 && !Double.isNaN(threshold)) {
			best = y[1] >= threshold ? 1 : 0;
		}
		Explanation explanation = null;
		if (explain && sampling != null) {
			// the probability the response reports for the predicted class
			explanation = sampled(artifact, sampling, x, best, labels.get(best), "probability");
		}
		else if (explain) {
			boolean singleOutput = ((Explainable) artifact.predictor()).scoreOutputs() == 1;
			explanation = singleOutput ? explanation(artifact, x, 0, labels.get(1))
					: explanation(artifact, x, best, labels.get(best));
		}
		return new Prediction(null, labels.get(best), probabilities, explanation);
	}

	/** Only for an {@link Explainable} model (predict checks it). */
	private static Explanation explanation(ModelArtifact artifact, double[] x, int output, String outputName) {
		Explainable explainable = (Explainable) artifact.predictor();
		Explanations.RowExplanation e = explainable.explain(artifact.preprocessing(), x, output);
		return new Explanation(outputName, e.score(), e.intercept(),
				e.contributions().stream().map(c -> new Contribution(c.feature(), c.value())).toList(),
				explainable.scoreSpace(artifact.task()), explainable.method(), null, null, null, null, null);
	}

	/**
	 * Sampled Shapley values of one output of the model's predictions (a class
	 * probability or the regression value) for one encoded row; each row starts from the
	 * same seed, so a row's explanation does not depend on the rows around it.
	 */
	private static Explanation sampled(ModelArtifact artifact, Sampling sampling, double[] x, int output,
			String outputName, String space) {
		SamplingShapley.Result r = SamplingShapley.explain(artifact::predictBatch, output, x, sampling.background(),
				sampling.widths(), sampling.samples(), sampling.seed());
		List<FeatureTransform> features = artifact.preprocessing().features();
		List<Contribution> contributions = new ArrayList<>(features.size());
		for (int f = 0; f < features.size(); f++) {
			contributions.add(new Contribution(features.get(f).name(), r.contributions()[f]));
		}
		return new Explanation(outputName, r.score(), r.base(), contributions, space, "sampling_shapley", r.samples(),
				r.exhaustive(), r.backgroundRows(), sampling.backgroundSource(), sampling.seed());
	}

	/**
	 * NaN (the most probable class, as the test metrics count it) unless the request
	 * names a number or "best_f1"; only binary models take one.
	 */
	private static double threshold(Object requested, ModelService.ServingModel model, ModelArtifact artifact) {
		if (requested == null) {
			return Double.NaN;
		}
		boolean binary = artifact.task() == Task.CLASSIFICATION && artifact.classLabels().size() == 2;
		if (!binary) {
			throw DomainException.invalid("threshold applies only to binary classification models.",
					List.of(FieldError.field("threshold", "only for binary classification models")));
		}
		if ("best_f1".equals(requested)) {
			return model.decisionThreshold() == null ? 0.5 : model.decisionThreshold();
		}
		if (requested instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
			return n.doubleValue();
		}
		throw DomainException.invalid("threshold must be a number in [0, 1] or \"best_f1\".",
				List.of(FieldError.field("threshold", "must be a number in [0, 1] or \"best_f1\"")));
	}

	/** A number from a JSON number or a numeric string; null when missing. */
	private static Double numeric(Object raw, int row, String name, List<FieldError> errors) {
		if (raw == null) {
			return null;
		}
		if (raw instanceof Double d) {
			// what Jackson reads JSON numbers with a fraction as; reused rather than
			// boxed again
			if (!Double.isFinite(d)) {
				errors.add(FieldError.row(row, name, "must be a finite number, got " + raw));
				return null;
			}
			return d;
		}
		if (raw instanceof Number n) {
			double v = n.doubleValue();
			if (!Double.isFinite(v)) {
				errors.add(FieldError.row(row, name, "must be a finite number, got " + raw));
				return null;
			}
			return v;
		}
		if (raw instanceof String s) {
			if (ValueParser.isMissing(s)) {
				return null;
			}
			double v = ValueParser.parseNumber(s);
			if (Double.isNaN(v)) {
				errors.add(FieldError.row(row, name, "must be a finite number, got '" + s + "'"));
				return null;
			}
			return v;
		}
		errors.add(FieldError.row(row, name, "must be a number or a numeric string"));
		return null;
	}

	/** A category's text from a string, number or boolean; null when missing. */
	private static String category(Object raw, int row, String name, List<FieldError> errors) {
		if (raw == null) {
			return null;
		}
		if (raw instanceof String s) {
			return ValueParser.isMissing(s) ? null : s.strip();
		}
		if (raw instanceof Boolean b) {
			return b.toString();
		}
		if (raw instanceof Number n) {
			double v = n.doubleValue();
			if (!Double.isFinite(v)) {
				errors.add(FieldError.row(row, name, "must be finite, got " + raw));
				return null;
			}
			return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : raw.toString();
		}
		errors.add(FieldError.row(row, name, "must be a string, number or boolean"));
		return null;
	}

}
