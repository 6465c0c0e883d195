package io.fitserve.protocols;

import io.fitserve.ml.data.ColumnData;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.fitserve.datasets.CsvFormatException;
import io.fitserve.datasets.CsvIngest;
import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.IngestLimits;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.models.FeatureInfo;
import io.fitserve.models.ModelService;
import io.fitserve.models.TrainedModel;
import io.fitserve.prediction.PredictionRequest;
import io.fitserve.prediction.PredictionResponse;
import io.fitserve.prediction.PredictionService;
import io.fitserve.registry.RegistryService;
import io.fitserve.web.JsonBodyProblems;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;

/**
 * MLflow's scoring protocol ({@code /invocations} of {@code mlflow models serve}) over
 * the registry: the body's rows become JSON rows keyed by feature name and go to
 * {@link PredictionService}; the answer is {@code {"predictions": [...]}}, a label per
 * row for a classifier (what a scikit-learn classifier's pyfunc {@code predict} returns)
 * and a number per row for a regressor. Labels that are all whole numbers (a 0/1 or 1..k
 * target column) come back as JSON numbers, as scikit-learn returns an integer target's
 * classes.
 */
@Service
class MlflowService {

	/** The JSON body's keys, exactly one of which MLflow 2 requires. */
	static final Set<String> FORMATS = Set.of("dataframe_split", "dataframe_records", "instances", "inputs");

	private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

	private final RegistryService registry;

	private final ModelService models;

	private final PredictionService predictions;

	private final JsonMapper json;

	MlflowService(RegistryService registry, ModelService models, PredictionService predictions, JsonMapper json) {
		this.registry = registry;
		this.models = models;
		this.predictions = predictions;
		this.json = json;
	}

	record Scored(RegistryService.Resolved resolved, List<Object> predictions) {
	}

	/**
	 * Scores a JSON ({@code csv} false) or CSV body with the champion's version, else the
	 * latest.
	 */
	Scored invoke(String name, byte[] body, boolean csv) {
		RegistryService.Resolved resolved = registry.resolveDefault(name);
		TrainedModel model = models.get(resolved.modelId().toString());
		List<Map<String, Object>> rows = csv ? csvRows(body) : jsonRows(body, model.getFeatures());
		PredictionResponse predicted = predictions.predict(resolved.modelId().toString(),
				new PredictionRequest(rows, null, null));
		boolean classifier = "classification".equals(model.getTask());
		boolean integerLabels = classifier && integerLabels(model.getClassLabels());
		List<Object> out = new ArrayList<>(predicted.predictions().size());
		for (PredictionResponse.Prediction p : predicted.predictions()) {
			// clustering: the cluster index, as scikit-learn's KMeans.predict
			out.add((p.cluster() != null) ? p.cluster()
					: !classifier ? p.value() : integerLabels ? (Object) Long.valueOf(p.label()) : p.label());
		}
		return new Scored(resolved, out);
	}

	/**
	 * Whether every class label is a whole number written plainly ("0", "-3"; not "01",
	 * "1.0" or "+1").
	 */
	static boolean integerLabels(List<String> labels) {
		if (labels == null || labels.isEmpty()) {
			return false;
		}
		for (String label : labels) {
			if (!INTEGER.matcher(label).matches() || label.length() > 18) {
				return false;
			}
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> jsonRows(byte[] body, List<FeatureInfo> features) {
		Object parsed;
		try {
			parsed = json.readValue(body, Object.class);
		}
		catch (JacksonException ex) {
			// the body is already read in full (the controller enforces its size
			// limit), so the parser's problem is always the request's fault, never a 413
			ProblemDetail problem = JsonBodyProblems.describe(ex);
			throw new DomainException(DomainException.Kind.INVALID, "bad-request", "Malformed request body",
					problem.getDetail(), null, null);
		}
		if (!(parsed instanceof Map<?, ?> map)) {
			throw invalid("body",
					"The body must be a JSON object with exactly one of the fields " + new TreeSet<>(FORMATS) + ".");
		}
		Map<String, Object> fields = (Map<String, Object>) map;
		List<String> formats = fields.keySet().stream().filter(FORMATS::contains).sorted().toList();
		List<String> unknown = fields.keySet()
			.stream()
			.filter(k -> !FORMATS.contains(k) && !"params".equals(k))
			.sorted()
			.toList();
		if (formats.size() != 1 || !unknown.isEmpty()) {
			throw invalid("body",
					"The body must be a JSON object with exactly one of the fields " + new TreeSet<>(FORMATS)
							+ " (and optionally params); it has " + new TreeSet<>(fields.keySet()) + ".");
		}
		String format = formats.get(0);
		Object data = fields.get(format);
		return switch (format) {
			case "dataframe_split" -> split(data, features);
			case "dataframe_records" -> records(format, data);
			default -> tensorInput(format, data, features);
		};
	}

	/**
	 * pandas' "split" orient: columns (the model's feature order when absent), data as
	 * rows, index ignored.
	 */
	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> split(Object data, List<FeatureInfo> features) {
		if (!(data instanceof Map<?, ?> split) || !(split.get("data") instanceof List<?> values)) {
			throw invalid("dataframe_split",
					"dataframe_split must be an object with data (a list of rows) and columns.");
		}
		Object columns = split.get("columns");
		List<String> names;
		if (columns == null) {
			names = features.stream().map(FeatureInfo::name).toList();
		}
		else if (columns instanceof List<?> list && list.stream().allMatch(c -> c instanceof String)) {
			names = (List<String>) list;
		}
		else {
			throw invalid("dataframe_split.columns", "dataframe_split.columns must be a list of column names.");
		}
		return positional("dataframe_split.data", (List<Object>) values, names);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> records(String field, Object data) {
		if (!(data instanceof List<?> list) || !list.stream().allMatch(r -> r == null || r instanceof Map)) {
			throw invalid(field, field + " must be a list of objects keyed by column name.");
		}
		return (List<Map<String, Object>>) list;
	}

	/**
	 * instances / inputs: a list of records, a list of rows in the model's feature order,
	 * one value per row for a one-feature model, or an object of columns ({"feature":
	 * [values...]}).
	 */
	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> tensorInput(String field, Object data, List<FeatureInfo> features) {
		List<String> names = features.stream().map(FeatureInfo::name).toList();
		if (data instanceof Map<?, ?> columns) {
			int n = -1;
			for (Map.Entry<?, ?> column : columns.entrySet()) {
				if (!(column.getValue() instanceof List<?> values) || (n >= 0 && values.size() != n)) {
					throw invalid(field,
							field + " as an object must map each column to a list of values, all of " + "one length.");
				}
				n = values.size();
			}
			List<Map<String, Object>> rows = new ArrayList<>();
			for (int r = 0; r < Math.max(n, 0); r++) {
				Map<String, Object> row = new HashMap<>();
				for (Map.Entry<?, ?> column : columns.entrySet()) {
					row.put((String) column.getKey(), ((List<Object>) column.getValue()).get(r));
				}
				rows.add(row);
			}
			return rows;
		}
		if (!(data instanceof List<?> list)) {
			throw invalid(field, field + " must be a list of rows or an object of columns.");
		}
		if (list.stream().allMatch(r -> r instanceof Map)) {
			return (List<Map<String, Object>>) list;
		}
		if (list.stream().allMatch(r -> r instanceof List)) {
			return positional(field, (List<Object>) list, names);
		}
		if (names.size() == 1 && list.stream().noneMatch(r -> r instanceof List || r instanceof Map)) {
			return positional(field, list.stream().map(v -> (Object) java.util.Collections.singletonList(v)).toList(),
					names);
		}
		throw invalid(field, field + " must hold only objects (records) or only lists (rows in the model's feature "
				+ "order " + names + ").");
	}

	private static List<Map<String, Object>> positional(String field, List<Object> values, List<String> names) {
		List<Map<String, Object>> rows = new ArrayList<>(values.size());
		for (int r = 0; r < values.size(); r++) {
			if (!(values.get(r) instanceof List<?> row) || row.size() != names.size()) {
				throw new DomainException(DomainException.Kind.INVALID, "validation-error", "The request is not valid",
						field + "[" + r + "] must be a list of " + names.size() + " values, one per column " + names
								+ ".",
						List.of(FieldError.row(r, field, "must hold " + names.size() + " values")), null);
			}
			Map<String, Object> map = new HashMap<>(names.size() * 2);
			for (int j = 0; j < names.size(); j++) {
				map.put(names.get(j), row.get(j));
			}
			rows.add(map);
		}
		return rows;
	}

	/**
	 * text/csv: read by the dataset upload's CSV rules (header, delimiter, quotes,
	 * missing markers).
	 */
	private static List<Map<String, Object>> csvRows(byte[] body) {
		DatasetFrame frame;
		try {
			frame = CsvIngest.ingest(new ByteArrayInputStream(body), new IngestLimits(10_000, 1_000_000)).frame();
		}
		catch (CsvFormatException ex) {
			String column = ex.column() == null ? null : String.valueOf(ex.column());
			throw DomainException.invalid("The CSV could not be parsed: " + ex.getMessage(),
					List.of(FieldError.line(ex.line(), column, ex.getMessage())));
		}
		List<Map<String, Object>> rows = new ArrayList<>(frame.rows());
		for (int r = 0; r < frame.rows(); r++) {
			rows.add(new HashMap<>(frame.columns().size() * 2));
		}
		for (ColumnData column : frame.columns()) {
			for (int r = 0; r < frame.rows(); r++) {
				Object value;
				if (column.codes() != null) {
					// the text as written (BOOLEAN: "false"/"true"); numbers are parsed
					// again by the prediction rules
					value = column.codes()[r] < 0 ? null : column.levels().get(column.codes()[r]);
				}
				else {
					double v = column.values()[r];
					value = Double.isNaN(v) ? null : v;
				}
				rows.get(r).put(column.name(), value);
			}
		}
		return rows;
	}

	private static DomainException invalid(String field, String detail) {
		return DomainException.invalid(detail, List.of(FieldError.field(field, "see detail")));
	}

}
