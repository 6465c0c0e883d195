package io.fitserve.models;

import io.fitserve.ml.Task;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.eval.GroupFairness;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.fitserve.datasets.CsvIngest;
import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.DatasetService;
import io.fitserve.datasets.ValueParser;
import io.fitserve.errors.DomainException;
import io.fitserve.privacy.Pseudonymizer;
import io.fitserve.errors.FieldError;
import io.fitserve.support.Ids;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Measures a stored classifier's fairness across the groups of a sensitive feature on an
 * uploaded dataset (fairlearn's group metrics and parity measures), and keeps the reports
 * under the model.
 */
@Service
public class FairnessService {

	/** The group of the rows without a value of the sensitive feature. */
	static final String MISSING_GROUP = "(missing)";

	/** The name of the row that measures every row together. */
	static final String OVERALL = "(overall)";

	private final ModelService models;

	private final DatasetService datasets;

	private final ModelFairnessRepository repository;

	private final FairnessProperties properties;

	private final Pseudonymizer pseudonymizer;

	FairnessService(ModelService models, DatasetService datasets, ModelFairnessRepository repository,
			FairnessProperties properties, Pseudonymizer pseudonymizer) {
		this.pseudonymizer = pseudonymizer;
		this.models = models;
		this.datasets = datasets;
		this.repository = repository;
		this.properties = properties;
	}

	/**
	 * Scores the dataset's rows and measures the rates per group. Refused before any row
	 * is scored: 400 for a missing datasetId or sensitiveFeature, or a threshold or
	 * positiveLabel the model does not take; 409 for a regression model; 422 when the
	 * dataset lacks a feature, the target or the sensitive feature, or the sensitive
	 * feature has more groups than {@code fitserve.fairness.max-groups}.
	 */
	public ModelFairness report(String modelId, FairnessRequest request) {
		TrainedModel model = models.get(modelId);
		List<FieldError> missing = new ArrayList<>();
		if (request == null || request.datasetId() == null) {
			missing.add(FieldError.field("datasetId", "is required"));
		}
		if (request == null || request.sensitiveFeature() == null || request.sensitiveFeature().isBlank()) {
			missing.add(FieldError.field("sensitiveFeature", "is required"));
		}
		if (!missing.isEmpty()) {
			throw DomainException.invalid("datasetId and sensitiveFeature are required.", missing);
		}
		if (!Task.CLASSIFICATION.wireName().equals(model.getTask())) {
			throw new DomainException(DomainException.Kind.CONFLICT, "not-a-classification-model",
					"Fairness reports are for classification models",
					"Model " + model.getId() + " is a " + model.getTask() + " model (" + model.getAlgorithm()
							+ "); selection rates and true and false positive rates exist for classification models "
							+ "only.",
					null, null);
		}
		ModelArtifact artifact = models.artifact(model);
		List<String> labels = artifact.classLabels();
		boolean binary = labels.size() == 2;
		Double threshold = binary ? threshold(request.threshold(), model) : null;
		if (!binary && request.threshold() != null) {
			throw DomainException.invalid("threshold applies only to binary classification models.",
					List.of(FieldError.field("threshold", "only for binary classification models")));
		}
		int positive = positive(request.positiveLabel(), labels, binary);

		Dataset dataset = datasets.get(request.datasetId());
		DatasetFrame frame = datasets.frame(dataset.getId());
		String name = request.sensitiveFeature();
		List<FieldError> errors = EvaluationRows.check(model, frame, artifact);
		ColumnData sensitive = frame.column(name);
		if (sensitive == null) {
			errors.add(FieldError.field("sensitiveFeature", "the dataset has no column '" + name + "'"));
		}
		else if (sensitive.codes() == null) {
			errors.add(FieldError.field("sensitiveFeature",
					"'" + name + "' has more than " + CsvIngest.DISTINCT_CAP + " distinct values; a fairness report "
							+ "compares at most " + properties.maxGroups() + " groups: put ranges of the values in a "
							+ "column of their own"));
		}
		else {
			int groups = sensitive.levels().size() + (hasMissing(sensitive) ? 1 : 0);
			if (groups > properties.maxGroups()) {
				errors.add(FieldError.field("sensitiveFeature",
						"'" + name + "' has " + groups + " groups; a fairness report compares at most "
								+ properties.maxGroups() + " (fitserve.fairness.max-groups): put ranges of the "
								+ "values in a column of their own"));
			}
		}
		if (!errors.isEmpty()) {
			throw EvaluationRows.doesNotFit(model, dataset, errors);
		}

		EvaluationRows rows = EvaluationRows.read(model, dataset, frame, artifact, pseudonymizer);
		double[][] out = artifact.predictBatch(rows.x());
		int n = out.length;
		int[] actual = new int[n];
		int[] predicted = new int[n];
		for (int i = 0; i < n; i++) {
			actual[i] = (int) Math.round(rows.y()[i]);
			predicted[i] = binary ? (out[i][1] >= threshold ? 1 : 0) : mostProbable(out[i]);
		}

		// groups in sorted order (numbers numerically), the rows without a value last
		List<String> levels = sensitive.levels();
		Integer[] order = new Integer[levels.size()];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Comparator<Integer> byValue = sensitive.type() == ColumnType.NUMERIC
				? Comparator.comparingDouble(i -> ValueParser.parseNumber(levels.get(i)))
				: Comparator.comparing(levels::get);
		java.util.Arrays.sort(order, byValue);
		int[] groupOfCode = new int[levels.size()];
		List<String> groupNames = new ArrayList<>();
		for (int i = 0; i < order.length; i++) {
			groupOfCode[order[i]] = i;
			groupNames.add(levels.get(order[i]));
		}
		groupNames.add(MISSING_GROUP);
		int[] group = new int[n];
		long withoutValue = 0;
		for (int i = 0; i < n; i++) {
			int code = sensitive.codes()[rows.rowIndex()[i]];
			if (code < 0) {
				withoutValue++;
			}
			group[i] = code < 0 ? levels.size() : groupOfCode[code];
		}

		GroupFairness.Report report = GroupFairness.measure(actual, predicted, labels, binary ? positive : -1, group,
				groupNames, OVERALL);
		List<String> warnings = new ArrayList<>(rows.warnings());
		if (withoutValue > 0) {
			warnings
				.add(withoutValue + " row(s) without a value of '" + name + "' form the group '" + MISSING_GROUP + "'");
		}
		warnings.addAll(report.undefined());
		FairnessFigures figures = new FairnessFigures(binary ? "binary" : "multiclass", labels, report.overall(),
				report.groups(), report.disparity(), report.disparityPerClass());
		try {
			return repository
				.save(ModelFairness.of(model.getId(), dataset.getId(), dataset.getName(), dataset.getSha256(), name,
						binary ? labels.get(positive) : null, threshold, n, rows.skipped(), figures, warnings));
		}
		catch (DataIntegrityViolationException ex) {
			// the model was deleted while its rows were scored
			throw DomainException.notFound("Model", modelId);
		}
	}

	/** The model's fairness reports, newest first. */
	@Transactional(readOnly = true)
	public List<ModelFairness> list(String modelId) {
		TrainedModel model = models.get(modelId);
		return repository.findByModelIdOrderByCreatedAtDesc(model.getId());
	}

	/** One of the model's fairness reports, or 404. */
	@Transactional(readOnly = true)
	public ModelFairness get(String modelId, String reportId) {
		TrainedModel model = models.get(modelId);
		return Ids.parse(reportId)
			.flatMap(id -> repository.findByIdAndModelId(id, model.getId()))
			.orElseThrow(() -> DomainException.notFound("Fairness report", reportId));
	}

	private static boolean hasMissing(ColumnData column) {
		for (int code : column.codes()) {
			if (code < 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The first of the most probable classes, as predictions and the test metrics pick.
	 */
	private static int mostProbable(double[] probabilities) {
		int best = 0;
		for (int c = 1; c < probabilities.length; c++) {
			if (probabilities[c] > probabilities[best]) {
				best = c;
			}
		}
		return best;
	}

	/**
	 * The binary decision threshold: the model's decisionThreshold (0.5 when it has none)
	 * unless the request names a number or "best_f1", as the ONNX export reads it.
	 */
	private static double threshold(Object requested, TrainedModel model) {
		double stored = model.getDecisionThreshold() == null ? 0.5 : model.getDecisionThreshold();
		if (requested == null || "best_f1".equals(requested)) {
			return stored;
		}
		if (requested instanceof Number number && number.doubleValue() >= 0 && number.doubleValue() <= 1) {
			return number.doubleValue();
		}
		throw DomainException.invalid("threshold must be a number in [0, 1] or \"best_f1\".",
				List.of(FieldError.field("threshold", "must be a number in [0, 1] or \"best_f1\"")));
	}

	/** The positive class index of a binary model: the named class, else the second. */
	private static int positive(String requested, List<String> labels, boolean binary) {
		if (requested == null) {
			return binary ? 1 : -1;
		}
		if (!binary) {
			throw DomainException.invalid("positiveLabel applies only to binary classification models.",
					List.of(FieldError.field("positiveLabel", "only for binary classification models")));
		}
		int index = labels.indexOf(requested);
		if (index < 0) {
			throw DomainException.invalid("positiveLabel must be one of the model's classes " + labels + ".",
					List.of(FieldError.field("positiveLabel", "must be one of " + labels)));
		}
		return index;
	}

}
