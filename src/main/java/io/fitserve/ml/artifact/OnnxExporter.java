package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.FeatureTransform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

/**
 * Writes a network {@link ModelArtifact} (linear and logistic regression, linear SVM,
 * MLP) with its fitted preprocessing as one ONNX model that scores raw rows.
 * <p>
 * Inputs: one per feature, named as the feature, shape {@code [N, 1]}: {@code double} for
 * numeric features (NaN or infinity is missing and imputed with the training mean, as
 * fitserve does), {@code string} for categorical and boolean ones (a value not seen in
 * training, the empty string included, is imputed with the most frequent category;
 * boolean features also take true/false/yes/no in any case). Outputs: {@code value}
 * ({@code double [N]}) for regressors; {@code label} ({@code string [N]}) and
 * {@code probabilities} ({@code double [N, classes]}, in {@code classLabels} order) for
 * classifiers. Everything is computed in double precision with the same formulas as
 * {@link Preprocessing#transformRow} and {@link Network#predict}, so ONNX Runtime
 * reproduces fitserve's predictions to rounding.
 * <p>
 * Only the ONNX proto classes are used (from tribuo-util-onnx): its graph helpers handle
 * float tensors only.
 */
public final class OnnxExporter {

	/** ONNX IR version 8 (ONNX 1.10+): read by ONNX Runtime 1.10 and later. */
	public static final long IR_VERSION = 8;

	/** Default-domain opset (ONNX 1.12). */
	public static final long ONNX_OPSET = 17;

	/**
	 * ai.onnx.ml opset that goes with {@link #ONNX_OPSET} (LabelEncoder with string keys
	 * and int64 values).
	 */
	public static final long ONNX_ML_OPSET = 3;

	/** Output of classifiers: the predicted class label. */
	public static final String LABEL = "label";

	/**
	 * Output of classifiers: one probability per class label, in the model's class-label
	 * order.
	 */
	public static final String PROBABILITIES = "probabilities";

	/** Output of regressors: the predicted value. */
	public static final String VALUE = "value";

	private static final String ML_DOMAIN = "ai.onnx.ml";

	private OnnxExporter() {
	}

	/**
	 * The ONNX model of the artifact, serialized.
	 * @param artifact a model with network weights (kernel SVMs are refused)
	 * @param threshold binary classifiers: the label is {@code classLabels[1]} when its
	 * probability is at least this; NaN: the more probable class (ties to the first);
	 * ignored for other models
	 * @param producerVersion fitserve's version, written as the model's producer_version
	 * @param metadata provenance written first to metadata_props, in order (model id,
	 * algorithm, ...); the entries derived from the artifact follow: task, feature_names,
	 * feature_types, class_labels and, for binary classifiers, decision_threshold
	 * (feature and class lists as JSON arrays of strings)
	 * @throws OnnxExportNotSupportedException for a kernel SVM, or a feature named like
	 * an output
	 */
	public static byte[] export(ModelArtifact artifact, double threshold, String producerVersion,
			Map<String, String> metadata) {
		return model(artifact, threshold, producerVersion, metadata).toByteArray();
	}

	/** As {@link #export}, the model proto itself. */
	public static ModelProto model(ModelArtifact artifact, double threshold, String producerVersion,
			Map<String, String> metadata) {
		Objects.requireNonNull(artifact, "artifact");
		Objects.requireNonNull(metadata, "metadata");
		NetworkWeights net = network(artifact.predictor());
		boolean classification = artifact.task() == Task.CLASSIFICATION;
		List<FeatureTransform> features = artifact.preprocessing().features();
		List<String> outputNames = classification ? List.of(LABEL, PROBABILITIES) : List.of(VALUE);
		for (FeatureTransform f : features) {
			if (outputNames.contains(f.name())) {
				throw new OnnxExportNotSupportedException(
						"The feature '" + f.name() + "' has the name of an output of the exported model ("
								+ String.join(", ", outputNames) + "); ONNX needs distinct input and output names.");
			}
		}
		int width = artifact.preprocessing().outputWidth();
		if (width == 0) {
			throw new OnnxExportNotSupportedException("The model has no encoded features to export.");
		}
		List<DenseLayer> layers = net.layers();
		if (layers.isEmpty() || layers.get(0).inputs() != width) {
			throw new IllegalArgumentException("the network does not match the preprocessing's " + width + " columns");
		}

		Set<String> reserved = new HashSet<>(outputNames);
		features.forEach(f -> reserved.add(f.name()));
		Graph g = new Graph(reserved);

		List<String> blocks = new ArrayList<>(features.size());
		for (FeatureTransform f : features) {
			boolean numeric = f.numericFeature();
			g.input(f.name(), numeric ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.STRING_VALUE,
					inputDoc(f));
			if (f.width() > 0) {
				blocks.add(numeric ? standardized(g, f) : oneHot(g, f));
			}
		}
		String h = blocks.size() == 1 ? blocks.get(0)
				: g.node("Concat", blocks, "encoded", null, intAttribute("axis", 1));
		for (int l = 0; l < layers.size(); l++) {
			DenseLayer layer = layers.get(l);
			String w = g.doubles("layer" + l + "_weights", new long[] { layer.inputs(), layer.outputs() },
					layer.weights());
			String b = g.doubles("layer" + l + "_bias", new long[] { layer.outputs() }, layer.bias());
			h = g.node("Gemm", List.of(h, w, b), "layer" + l + "_scores", null);
			if (l < layers.size() - 1) {
				h = g.node(activationOp(net.hiddenActivation()), List.of(h), "layer" + l + "_activation", null);
			}
		}
		int units = layers.get(layers.size() - 1).outputs();
		List<String> labels = artifact.classLabels();
		if (!classification) {
			if (net.output() != OutputKind.IDENTITY || units != 1) {
				throw new IllegalArgumentException("a regression network has one identity output");
			}
			g.nodeTo("Reshape", List.of(h, g.longs("flat_shape", new long[] { 1 }, new long[] { -1 })), VALUE);
			g.output(VALUE, TensorProto.DataType.DOUBLE_VALUE, false, "the predicted value");
		}
		else {
			if (units == 1 && (net.output() == OutputKind.SIGMOID || net.output() == OutputKind.SVM)) {
				// as Network.toOutput: {1 - sigmoid(z), sigmoid(z)}
				String p1 = g.node("Sigmoid", List.of(h), "positive_probability", null);
				String p0 = g.node("Sub", List.of(g.scalar("one", 1.0), p1), "negative_probability", null);
				g.nodeTo("Concat", List.of(p0, p1), PROBABILITIES, intAttribute("axis", 1));
			}
			else if (net.output() == OutputKind.SOFTMAX || net.output() == OutputKind.SVM) {
				g.nodeTo("Softmax", List.of(h), PROBABILITIES, intAttribute("axis", 1));
			}
			else {
				throw new IllegalArgumentException(
						"output " + net.output() + " with " + units + " units is no classifier");
			}
			int classes = (units == 1) ? 2 : units;
			if (classes != labels.size()) {
				throw new IllegalArgumentException("the network predicts " + classes + " classes but there are "
						+ labels.size() + " class labels");
			}
			String index;
			if (classes == 2 && !Double.isNaN(threshold)) {
				// as PredictionService: classLabels[1] when its probability >= threshold
				String p1 = g.node("Gather", List.of(PROBABILITIES, g.longScalar("second_class", 1)),
						"second_class_probability", null, intAttribute("axis", 1));
				String positive = g.node("GreaterOrEqual", List.of(p1, g.scalar("decision_threshold", threshold)),
						"at_threshold", null);
				index = g.node("Cast", List.of(positive), "label_index", null,
						intAttribute("to", TensorProto.DataType.INT64_VALUE));
			}
			else {
				// first maximum, as fitserve's strict '>' scan
				index = g.node("ArgMax", List.of(PROBABILITIES), "label_index", null, intAttribute("axis", 1),
						intAttribute("keepdims", 0));
			}
			g.nodeTo("Gather", List.of(g.strings("class_labels", labels), index), LABEL, intAttribute("axis", 0));
			g.output(LABEL, TensorProto.DataType.STRING_VALUE, false, "the predicted class label");
			g.output(PROBABILITIES, TensorProto.DataType.DOUBLE_VALUE, true,
					"class probabilities in the order " + json(labels));
		}

		Map<String, String> props = new LinkedHashMap<>(metadata);
		props.put("task", artifact.task().wireName());
		props.put("feature_names", json(features.stream().map(FeatureTransform::name).toList()));
		props.put("feature_types", json(features.stream().map(FeatureTransform::type).toList()));
		if (classification) {
			props.put("class_labels", json(labels));
			if (labels.size() == 2) {
				props.put("decision_threshold", Double.isNaN(threshold) ? "none" : Double.toString(threshold));
			}
		}
		ModelProto.Builder model = ModelProto.newBuilder()
			.setIrVersion(IR_VERSION)
			.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(ONNX_OPSET))
			.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ONNX_ML_OPSET))
			.setProducerName("fitserve")
			.setProducerVersion(producerVersion == null ? "" : producerVersion)
			.setDomain("io.fitserve")
			.setModelVersion(1)
			.setDocString("A fitserve model with its preprocessing: feed one [N, 1] tensor per feature, named as the "
					+ "feature (double for numeric, string for categorical and boolean features).")
			.setGraph(g.build("fitserve_model"));
		props.forEach((key, value) -> model
			.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value == null ? "" : value)));
		return model.build();
	}

	/**
	 * The weights of a dense network (the one form written here); every other kind of
	 * model is refused, saying why.
	 */
	private static NetworkWeights network(Predictor predictor) {
		if (predictor instanceof DenseNetwork network) {
			return network.weights();
		}
		if (predictor instanceof KernelPredictor) {
			throw new OnnxExportNotSupportedException(
					"Kernel SVM models (algorithm svm) cannot be exported to ONNX yet: their one-vs-one votes and "
							+ "pairwise probability coupling have no ONNX form here.");
		}
		if (predictor instanceof TreePredictor) {
			throw new OnnxExportNotSupportedException(
					"Tree models (algorithms gradient_boosting, random_forest) cannot be exported to ONNX yet: "
							+ "their tree ensembles have no ONNX form here.");
		}
		if (predictor instanceof KMeansPredictor) {
			throw new OnnxExportNotSupportedException(
					"Clustering models (algorithm kmeans) cannot be exported to ONNX yet: their nearest-centroid "
							+ "assignment has no ONNX form here.");
		}
		throw new OnnxExportNotSupportedException(
				"Models of kind '" + predictor.kind() + "' cannot be exported to ONNX yet.");
	}

	private static String inputDoc(FeatureTransform f) {
		if (f.numericFeature()) {
			return "numeric feature: NaN is missing (imputed with the training mean " + f.mean() + ")";
		}
		return f.type() + " feature with categories " + json(f.categories())
				+ "; any other value, the empty string included, is imputed with '" + f.mostFrequent() + "'";
	}

	/**
	 * (x - mean) / scale, and 0 (the mean) where x is NaN or infinite:
	 * Preprocessing.transformRow's formula.
	 */
	private static String standardized(Graph g, FeatureTransform f) {
		String x = f.name();
		String centred = g.node("Sub", List.of(x, g.scalar(x + "_mean", f.mean())), x + "_centred", null);
		String scaled = g.node("Div", List.of(centred, g.scalar(x + "_scale", f.scale())), x + "_standardized", null);
		String nan = g.node("IsNaN", List.of(x), x + "_is_nan", null);
		String inf = g.node("IsInf", List.of(x), x + "_is_inf", null);
		String missing = g.node("Or", List.of(nan, inf), x + "_missing", null);
		return g.node("Where", List.of(missing, g.scalar("zero", 0.0), scaled), x + "_imputed", null);
	}

	/**
	 * Category index by LabelEncoder (unseen or missing: the most frequent category's),
	 * then one 0/1 column per category. A boolean feature's encoder also knows every
	 * spelling fitserve accepts: true/false/yes/no in any case (so no StringNormalizer,
	 * whose locale handling depends on the host).
	 */
	private static String oneHot(Graph g, FeatureTransform f) {
		String x = f.name();
		List<String> categories = f.categories();
		int fallback = Collections.binarySearch(categories, f.mostFrequent());
		List<String> keys = new ArrayList<>();
		List<Long> values = new ArrayList<>();
		for (int i = 0; i < categories.size(); i++) {
			String category = categories.get(i);
			if (FeatureTransform.BOOLEAN.equals(f.type())) {
				String alias = switch (category) {
					case "true" -> "yes";
					case "false" -> "no";
					default -> null;
				};
				for (String word : alias == null ? List.of(category) : List.of(category, alias)) {
					for (String spelling : caseVariants(word)) {
						keys.add(spelling);
						values.add((long) i);
					}
				}
			}
			else {
				keys.add(category);
				values.add((long) i);
			}
		}
		AttributeProto.Builder keyAttribute = AttributeProto.newBuilder()
			.setName("keys_strings")
			.setType(AttributeProto.AttributeType.STRINGS);
		keys.forEach(k -> keyAttribute.addStrings(ByteString.copyFromUtf8(k)));
		AttributeProto.Builder valueAttribute = AttributeProto.newBuilder()
			.setName("values_int64s")
			.setType(AttributeProto.AttributeType.INTS)
			.addAllInts(values);
		String codes = g.node("LabelEncoder", List.of(x), x + "_code", ML_DOMAIN, keyAttribute.build(),
				valueAttribute.build(), intAttribute("default_int64", fallback));
		long[] range = new long[categories.size()];
		for (int i = 0; i < range.length; i++) {
			range[i] = i;
		}
		String hot = g.node("Equal", List.of(codes, g.longs(x + "_category_codes", new long[] { range.length }, range)),
				x + "_is_category", null);
		return g.node("Cast", List.of(hot), x + "_one_hot", null,
				intAttribute("to", TensorProto.DataType.DOUBLE_VALUE));
	}

	/** Every upper/lower-case spelling of an ASCII word ("no": no, nO, No, NO). */
	static List<String> caseVariants(String word) {
		List<String> out = new ArrayList<>();
		int n = word.length();
		for (int mask = 0; mask < (1 << n); mask++) {
			StringBuilder s = new StringBuilder(n);
			for (int i = 0; i < n; i++) {
				char c = word.charAt(i);
				s.append(((mask >> i) & 1) == 1 ? Character.toUpperCase(c) : Character.toLowerCase(c));
			}
			String spelling = s.toString();
			if (!out.contains(spelling)) {
				out.add(spelling);
			}
		}
		return out;
	}

	private static String activationOp(Activation activation) {
		return switch (activation) {
			case RELU -> "Relu";
			case TANH -> "Tanh";
			case SIGMOID -> "Sigmoid";
		};
	}

	private static AttributeProto intAttribute(String name, long value) {
		return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
	}

	/** A JSON array of strings (names may hold commas, quotes or anything else). */
	static String json(List<String> values) {
		StringBuilder s = new StringBuilder("[");
		for (int i = 0; i < values.size(); i++) {
			if (i > 0) {
				s.append(',');
			}
			s.append('"');
			String v = values.get(i);
			for (int k = 0; k < v.length(); k++) {
				char c = v.charAt(k);
				switch (c) {
					case '"' -> s.append("\\\"");
					case '\\' -> s.append("\\\\");
					case '\n' -> s.append("\\n");
					case '\r' -> s.append("\\r");
					case '\t' -> s.append("\\t");
					default -> {
						if (c < 0x20) {
							s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
						}
						else {
							s.append(c);
						}
					}
				}
			}
			s.append('"');
		}
		return s.append(']').toString();
	}

	/**
	 * Nodes, initializers, inputs and outputs of one graph, with value names that never
	 * collide.
	 */
	private static final class Graph {

		private final Set<String> used;

		private final GraphProto.Builder graph = GraphProto.newBuilder();

		private final Map<String, String> scalars = new LinkedHashMap<>();

		Graph(Set<String> reserved) {
			this.used = new HashSet<>(reserved);
		}

		/**
		 * A fresh value name based on hint (reserved names, i.e. features and outputs,
		 * are never returned).
		 */
		String fresh(String hint) {
			String name = hint;
			for (int i = 2; !used.add(name); i++) {
				name = hint + "_" + i;
			}
			return name;
		}

		void input(String name, int elementType, String doc) {
			graph.addInput(valueInfo(name, elementType, true, doc));
		}

		void output(String name, int elementType, boolean matrix, String doc) {
			graph.addOutput(valueInfo(name, elementType, matrix, doc));
		}

		/** [N, 1] (matrix false for outputs: [N]) or [N, classes] for probabilities. */
		private static ValueInfoProto valueInfo(String name, int elementType, boolean matrix, String doc) {
			TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
				.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
			if (matrix) {
				shape.addDim(TensorShapeProto.Dimension.newBuilder());
			}
			return ValueInfoProto.newBuilder()
				.setName(name)
				.setDocString(doc)
				.setType(TypeProto.newBuilder()
					.setTensorType(TypeProto.Tensor.newBuilder().setElemType(elementType).setShape(shape)))
				.build();
		}

		String node(String op, List<String> inputs, String outputHint, String domain, AttributeProto... attributes) {
			String output = fresh(outputHint);
			add(op, inputs, output, domain, attributes);
			return output;
		}

		void nodeTo(String op, List<String> inputs, String output, AttributeProto... attributes) {
			add(op, inputs, output, null, attributes);
		}

		private void add(String op, List<String> inputs, String output, String domain, AttributeProto... attributes) {
			NodeProto.Builder node = NodeProto.newBuilder()
				.setOpType(op)
				.setName(output)
				.addAllInput(inputs)
				.addOutput(output);
			if (domain != null) {
				node.setDomain(domain);
			}
			for (AttributeProto attribute : attributes) {
				node.addAttribute(attribute);
			}
			graph.addNode(node);
		}

		String doubles(String hint, long[] dims, double[] data) {
			ByteBuffer bytes = ByteBuffer.allocate(data.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
			bytes.asDoubleBuffer().put(data);
			return initializer(hint, TensorProto.DataType.DOUBLE_VALUE, dims, ByteString.copyFrom(bytes.array()));
		}

		String longs(String hint, long[] dims, long[] data) {
			ByteBuffer bytes = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
			bytes.asLongBuffer().put(data);
			return initializer(hint, TensorProto.DataType.INT64_VALUE, dims, ByteString.copyFrom(bytes.array()));
		}

		/**
		 * A double scalar, shared by name (the hint): "zero" is one initializer however
		 * many features use it.
		 */
		String scalar(String hint, double value) {
			String key = hint + "=" + Double.doubleToLongBits(value);
			return scalars.computeIfAbsent(key, k -> doubles(hint, new long[0], new double[] { value }));
		}

		String longScalar(String hint, long value) {
			return longs(hint, new long[0], new long[] { value });
		}

		String strings(String hint, List<String> values) {
			String name = fresh(hint);
			TensorProto.Builder tensor = TensorProto.newBuilder()
				.setName(name)
				.setDataType(TensorProto.DataType.STRING_VALUE)
				.addDims(values.size());
			values.forEach(v -> tensor.addStringData(ByteString.copyFromUtf8(v)));
			graph.addInitializer(tensor);
			return name;
		}

		private String initializer(String hint, int type, long[] dims, ByteString raw) {
			String name = fresh(hint);
			TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(raw);
			for (long d : dims) {
				tensor.addDims(d);
			}
			graph.addInitializer(tensor);
			return name;
		}

		GraphProto build(String name) {
			return graph.setName(name).build();
		}

	}

}
