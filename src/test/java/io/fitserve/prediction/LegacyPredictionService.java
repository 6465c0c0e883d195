package io.fitserve.prediction;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.DenseNetwork;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.explain.Explanations;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.fitserve.datasets.ValueParser;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.models.ModelService;
import io.fitserve.prediction.PredictionResponse.Contribution;
import io.fitserve.prediction.PredictionResponse.Explanation;
import io.fitserve.prediction.PredictionResponse.Prediction;

/**
 * The request path as it was before the single-lookup row reader (kept as the reference
 * the current one must match exactly; see PredictionServiceEquivalenceTest).
 */
class LegacyPredictionService {

	/**
	 * Beyond this many, similar errors and warnings are summarised rather than listed.
	 */
	static final int MAX_LISTED = 100;

	private final ModelService models;

	private final PredictionProperties properties;

	LegacyPredictionService(ModelService models, PredictionProperties properties) {
		this.models = models;
		this.properties = properties;
	}

	PredictionResponse predict(String id, PredictionRequest request) {
		ModelService.ServingModel model = models.serving(id);
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
		if (explain && !isLinear(artifact)) {
			throw DomainException.invalid(
					"explain is available for linear models (linear_regression, "
							+ "logistic_regression, linear_svm) and tree models (gradient_boosting, random_forest); "
							+ "this model is " + model.algorithm() + ".",
					List.of(FieldError.field("explain", "not available for " + model.algorithm())));
		}
		Preprocessing preprocessing = artifact.preprocessing();
		List<FeatureTransform> features = preprocessing.features();
		List<FieldError> errors = new ArrayList<>();
		List<String> warnings = new ArrayList<>();
		int unlistedWarnings = 0;
		Map<String, Integer> ignoredKeys = new TreeMap<>();
		Set<String> featureNames = new HashSet<>();
		for (FeatureTransform f : features) {
			featureNames.add(f.name());
		}
		Object[][] inputs = new Object[rows.size()][];
		for (int r = 0; r < rows.size(); r++) {
			Map<String, Object> row = rows.get(r);
			if (row == null) {
				errors.add(FieldError.row(r, null, "must be a JSON object"));
				continue;
			}
			Object[] values = new Object[features.size()];
			for (int j = 0; j < features.size(); j++) {
				FeatureTransform feature = features.get(j);
				String name = feature.name();
				if (!row.containsKey(name)) {
					errors.add(FieldError.row(r, name,
							"feature '" + name + "' is absent; send null to have it imputed as in training"));
					continue;
				}
				Object raw = row.get(name);
				if (feature.numericFeature()) {
					values[j] = numeric(raw, r, name, errors);
				}
				else {
					String category = category(raw, r, name, errors);
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
			for (String key : row.keySet()) {
				if (!featureNames.contains(key)) {
					ignoredKeys.merge(key, 1, Integer::sum);
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
		ignoredKeys.forEach((key, count) -> warnings
			.add("'" + key + "' is not a feature of this model; ignored in " + count + " row(s)"));
		return new PredictionResponse(model.id(), predictAll(artifact, inputs, threshold, explain), warnings);
	}

	private static List<Prediction> predictAll(ModelArtifact artifact, Object[][] inputs, double threshold,
			boolean explain) {
		List<String> labels = artifact.classLabels();
		boolean classification = artifact.task() == Task.CLASSIFICATION;
		List<Prediction> out = new ArrayList<>(inputs.length);
		for (Object[] values : inputs) {
			double[] x = artifact.preprocessing().transformRow(values);
			double[] y = artifact.predict(x);
			if (!classification) {
				out.add(new Prediction(y[0], null, null, explain ? explanation(artifact, x, 0, "value") : null));
				continue;
			}
			Map<String, Double> probabilities = new LinkedHashMap<>();
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
			if (explain) {
				boolean singleOutput = network(artifact).layers().get(0).outputs() == 1;
				explanation = singleOutput ? explanation(artifact, x, 0, labels.get(1))
						: explanation(artifact, x, best, labels.get(best));
			}
			out.add(new Prediction(null, labels.get(best), probabilities, explanation));
		}
		return out;
	}

	private static Explanation explanation(ModelArtifact artifact, double[] x, int output, String outputName) {
		Explanations.RowExplanation e = Explanations.contributions(artifact.preprocessing(), network(artifact), x,
				output);
		return new Explanation(outputName, e.score(), e.intercept(),
				e.contributions().stream().map(c -> new Contribution(c.feature(), c.value())).toList());
	}

	private static boolean isLinear(ModelArtifact artifact) {
		return network(artifact) != null && network(artifact).layers().size() == 1;
	}

	/**
	 * The network weights as the artifact's old network() accessor gave them (null for
	 * other models): this reference keeps the layer-count checks the capabilities
	 * replaced.
	 */
	private static NetworkWeights network(ModelArtifact artifact) {
		return (artifact.predictor() instanceof DenseNetwork network) ? network.weights() : null;
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
