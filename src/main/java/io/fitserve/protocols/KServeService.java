package io.fitserve.protocols;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fitserve.errors.DomainException;
import io.fitserve.models.FeatureInfo;
import io.fitserve.models.ModelService;
import io.fitserve.models.TrainedModel;
import io.fitserve.prediction.PredictionRequest;
import io.fitserve.prediction.PredictionResponse;
import io.fitserve.prediction.PredictionService;
import io.fitserve.protocols.KServeTypes.InferenceRequest;
import io.fitserve.protocols.KServeTypes.InferenceResponse;
import io.fitserve.protocols.KServeTypes.MetadataTensor;
import io.fitserve.protocols.KServeTypes.ModelMetadata;
import io.fitserve.protocols.KServeTypes.RequestInput;
import io.fitserve.protocols.KServeTypes.RequestOutput;
import io.fitserve.protocols.KServeTypes.ResponseOutput;
import io.fitserve.registry.RegistryService;

import org.springframework.stereotype.Service;

/**
 * The Open Inference Protocol V2 over the registry: a model name is a registered model,
 * served by its champion alias's version (else its latest) unless the path names a
 * version. Tensors are turned into rows keyed by feature name and predicted by
 * {@link PredictionService}, so they are read by the same rules as JSON rows.
 */
@Service
class KServeService {

	static final String LABEL = "label";

	static final String PROBABILITIES = "probabilities";

	static final String VALUE = "value";

	private static final Set<String> NUMERIC = Set.of("FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64",
			"UINT8", "UINT16", "UINT32", "UINT64");

	private final RegistryService registry;

	private final ModelService models;

	private final PredictionService predictions;

	KServeService(RegistryService registry, ModelService models, PredictionService predictions) {
		this.registry = registry;
		this.models = models;
		this.predictions = predictions;
	}

	private RegistryService.Resolved resolve(String name, String version) {
		return version == null ? registry.resolveDefault(name) : registry.resolveVersion(name, version);
	}

	ModelMetadata metadata(String name, String version) {
		RegistryService.Resolved resolved = resolve(name, version);
		TrainedModel model = models.get(resolved.modelId().toString());
		List<MetadataTensor> inputs = model.getFeatures()
			.stream()
			.map(f -> new MetadataTensor(f.name(), "numeric".equals(f.type()) ? "FP64" : "BYTES", List.of(-1), null))
			.toList();
		List<MetadataTensor> outputs;
		if (isClassifier(model)) {
			List<String> labels = model.getClassLabels();
			outputs = List.of(new MetadataTensor(LABEL, "BYTES", List.of(-1), null),
					new MetadataTensor(PROBABILITIES, "FP64", List.of(-1, labels.size()), Map.of("labels", labels)));
		}
		else {
			outputs = List.of(new MetadataTensor(VALUE, "FP64", List.of(-1), null));
		}
		List<String> versions = version == null ? registry.versionNumbers(name).stream().map(String::valueOf).toList()
				: List.of(Integer.toString(resolved.version()));
		return new ModelMetadata(resolved.name(), versions, "fitserve_" + model.getAlgorithm(), inputs, outputs);
	}

	/**
	 * Loads the model for serving (checking its artifact) and answers the registered
	 * name.
	 */
	String ready(String name, String version) {
		RegistryService.Resolved resolved = resolve(name, version);
		models.serving(resolved.modelId().toString());
		return resolved.name();
	}

	InferenceResponse infer(String name, String version, InferenceRequest request) {
		if (request == null || request.inputs() == null || request.inputs().isEmpty()) {
			throw badRequest("inputs is required: one tensor per feature, or one [n, d] FP64 tensor.");
		}
		RegistryService.Resolved resolved = resolve(name, version);
		TrainedModel model = models.get(resolved.modelId().toString());
		boolean classifier = isClassifier(model);
		List<String> available = classifier ? List.of(LABEL, PROBABILITIES) : List.of(VALUE);
		List<String> wanted = requestedOutputs(request.outputs(), available);
		List<Map<String, Object>> rows = rows(request.inputs(), model.getFeatures());
		PredictionResponse predicted = predictions.predict(resolved.modelId().toString(),
				new PredictionRequest(rows, null, null));
		int n = predicted.predictions().size();
		List<ResponseOutput> outputs = new ArrayList<>();
		for (String output : wanted) {
			switch (output) {
				case LABEL -> outputs.add(new ResponseOutput(LABEL, List.of(n), "BYTES",
						predicted.predictions().stream().map(PredictionResponse.Prediction::label).toList()));
				case PROBABILITIES -> {
					List<String> labels = model.getClassLabels();
					List<Double> flat = new ArrayList<>(n * labels.size());
					for (PredictionResponse.Prediction p : predicted.predictions()) {
						for (String label : labels) {
							flat.add(p.probabilities().get(label));
						}
					}
					outputs.add(new ResponseOutput(PROBABILITIES, List.of(n, labels.size()), "FP64", flat));
				}
				// a clustering model's value is its cluster index
				default -> outputs.add(new ResponseOutput(VALUE, List.of(n), "FP64",
						predicted.predictions()
							.stream()
							.map(p -> (p.cluster() != null) ? Double.valueOf(p.cluster()) : p.value())
							.toList()));
			}
		}
		Map<String, Object> parameters = predicted.warnings().isEmpty() ? null
				: Map.of("warnings", predicted.warnings());
		return new InferenceResponse(resolved.name(), Integer.toString(resolved.version()), request.id(), parameters,
				outputs);
	}

	private static boolean isClassifier(TrainedModel model) {
		return "classification".equals(model.getTask());
	}

	private static List<String> requestedOutputs(List<RequestOutput> outputs, List<String> available) {
		if (outputs == null || outputs.isEmpty()) {
			return available;
		}
		Set<String> wanted = new LinkedHashSet<>();
		for (RequestOutput output : outputs) {
			String outputName = output == null ? null : output.name();
			if (outputName == null || !available.contains(outputName)) {
				throw badRequest("unknown output '" + outputName + "'; this model's outputs are " + available + ".");
			}
			wanted.add(outputName);
		}
		return List.copyOf(wanted);
	}

	/**
	 * One row per tensor element: per-feature tensors, or a single [n, d] tensor in
	 * feature order.
	 */
	static List<Map<String, Object>> rows(List<RequestInput> inputs, List<FeatureInfo> features) {
		Map<String, Integer> featureIndex = new HashMap<>();
		for (int j = 0; j < features.size(); j++) {
			featureIndex.put(features.get(j).name(), j);
		}
		for (RequestInput input : inputs) {
			if (input == null || input.name() == null || input.datatype() == null || input.shape() == null
					|| input.data() == null || input.shape().contains(null)) {
				throw badRequest("every input needs name, shape, datatype and data.");
			}
		}
		RequestInput first = inputs.get(0);
		int d = features.size();
		if (inputs.size() == 1 && first.shape().size() == 2 && first.shape().get(1) == d
				&& (d > 1 || !featureIndex.containsKey(first.name()))) {
			return matrixRows(first, features);
		}
		Integer n = null;
		Map<String, List<Object>> columns = new LinkedHashMap<>();
		for (RequestInput input : inputs) {
			if (!featureIndex.containsKey(input.name())) {
				throw badRequest("input '" + input.name() + "' is not a feature of this model; its inputs are "
						+ features.stream().map(FeatureInfo::name).toList() + " (or one FP64 tensor of shape [n, " + d
						+ "] in that order).");
			}
			List<Long> shape = input.shape();
			if (shape.size() > 2 || shape.isEmpty() || (shape.size() == 2 && shape.get(1) != 1)) {
				throw badRequest(
						"input '" + input.name() + "' has shape " + shape + "; a feature's shape is [n] or [n, 1].");
			}
			int rows = count(input, shape.get(0));
			if (n != null && rows != n) {
				throw badRequest("input '" + input.name() + "' has " + rows + " rows, the inputs before it " + n + ".");
			}
			n = rows;
			if (columns.put(input.name(), elements(input, rows)) != null) {
				throw badRequest("input '" + input.name() + "' is given twice.");
			}
		}
		for (FeatureInfo feature : features) {
			if (!columns.containsKey(feature.name())) {
				throw badRequest("input '" + feature.name() + "' is missing; this model's inputs are "
						+ features.stream().map(FeatureInfo::name).toList() + ".");
			}
		}
		List<Map<String, Object>> rows = new ArrayList<>(n);
		for (int r = 0; r < n; r++) {
			Map<String, Object> row = new HashMap<>(d * 2);
			for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
				row.put(column.getKey(), column.getValue().get(r));
			}
			rows.add(row);
		}
		return rows;
	}

	private static List<Map<String, Object>> matrixRows(RequestInput input, List<FeatureInfo> features) {
		if (!"FP64".equals(input.datatype()) && !"FP32".equals(input.datatype())) {
			throw badRequest("input '" + input.name() + "' of shape " + input.shape() + " holds every feature; its "
					+ "datatype must be FP64 or FP32, not " + input.datatype() + ".");
		}
		int d = features.size();
		int n = count(input, input.shape().get(0));
		List<Object> data = elements(input, n * d);
		List<Map<String, Object>> rows = new ArrayList<>(n);
		for (int r = 0; r < n; r++) {
			Map<String, Object> row = new HashMap<>(d * 2);
			for (int j = 0; j < d; j++) {
				row.put(features.get(j).name(), data.get(r * d + j));
			}
			rows.add(row);
		}
		return rows;
	}

	/** The first dimension, checked to be a row count. */
	private static int count(RequestInput input, long rows) {
		if (rows < 1 || rows > Integer.MAX_VALUE / 1024) {
			throw badRequest("input '" + input.name() + "' has shape " + input.shape()
					+ "; its first dimension is the number of rows, at least 1.");
		}
		return (int) rows;
	}

	/**
	 * The tensor's elements, flattened row-major, checked against its shape and datatype.
	 */
	private static List<Object> elements(RequestInput input, int expected) {
		List<Object> flat = new ArrayList<>(expected);
		flatten(input.data(), flat, expected, input);
		if (flat.size() != expected) {
			throw badRequest("input '" + input.name() + "' has shape " + input.shape() + " (" + expected
					+ " elements) but " + flat.size() + " data elements.");
		}
		String datatype = input.datatype();
		boolean numeric = NUMERIC.contains(datatype);
		if (!numeric && !"BOOL".equals(datatype) && !"BYTES".equals(datatype)) {
			throw badRequest("input '" + input.name() + "' has the unknown datatype '" + datatype
					+ "'; use FP64, FP32, " + "INT8..INT64, UINT8..UINT64, BOOL or BYTES.");
		}
		for (int i = 0; i < flat.size(); i++) {
			Object value = flat.get(i);
			// null is a missing value, imputed as in training (the JSON rows' rule)
			boolean ok = value == null || (numeric ? value instanceof Number && integral(datatype, (Number) value)
					: "BOOL".equals(datatype) ? value instanceof Boolean : value instanceof String);
			if (!ok) {
				throw badRequest("input '" + input.name() + "' element " + i + " (" + shorten(value) + ") is not a "
						+ datatype + " value.");
			}
		}
		return flat;
	}

	private static boolean integral(String datatype, Number value) {
		if (datatype.startsWith("FP")) {
			return true;
		}
		double v = value.doubleValue();
		return v == Math.rint(v) && (!datatype.startsWith("UINT") || v >= 0);
	}

	private static void flatten(Object data, List<Object> out, int limit, RequestInput input) {
		if (data instanceof List<?> list) {
			for (Object element : list) {
				flatten(element, out, limit, input);
			}
		}
		else {
			if (out.size() >= limit) {
				throw badRequest("input '" + input.name() + "' has shape " + input.shape() + " (" + limit
						+ " elements) but more data elements.");
			}
			out.add(data);
		}
	}

	private static String shorten(Object value) {
		String text = String.valueOf(value);
		return text.length() > 40 ? text.substring(0, 40) + "..." : text;
	}

	static DomainException badRequest(String detail) {
		return new DomainException(DomainException.Kind.INVALID, "bad-request", "Bad inference request", detail, null,
				null);
	}

}
