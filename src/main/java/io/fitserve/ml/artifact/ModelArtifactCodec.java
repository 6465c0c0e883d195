package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.DenseLayer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OutputKind;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.ml.trees.TreeEnsemble;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binary, versioned model artifact format (no Java serialization).
 *
 * <p>
 * Layout, big-endian: magic "FSMA" (4 bytes), format version (int), header length (int),
 * header (UTF-8 JSON), the doubles of the model, then a CRC32 (int) of all the preceding
 * bytes.
 * <ul>
 * <li>Version 1 (still read): header {task, classLabels, preprocessing, hiddenActivation,
 * output, layers (shapes)}; then per layer its weights (inputs*outputs doubles, row-major
 * [inputs][outputs]) and bias (outputs doubles).</li>
 * <li>Version 2 (still read): the same header plus {@code kernel}, which is null for
 * network models. A kernel model has no hiddenActivation/output and an empty layer list;
 * its header gives kernel, gamma, degree, coef0, approximation, numFeatures, vectors
 * (count), numClasses and calibrated, and the doubles are the vectors (count*numFeatures,
 * row-major), then per machine its coefficients (count), then bias, plattA and plattB
 * (one per machine each). Multi-class kernel models were all one-vs-rest (one machine per
 * class).</li>
 * <li>Version 3 (still read): as version 2, with the kernel header's {@code strategy}
 * ("ovr" or "ovo", required), which sets the number of machines for more than 2 classes:
 * numClasses (ovr) or numClasses*(numClasses-1)/2 (ovo, in {@link KernelModel#pairs(int)}
 * order).</li>
 * <li>Version 4 (written): as version 3, plus {@code predictor}, the kind of model
 * ({@link Predictor#kind()}: "network" for linear models and MLPs, "kernel"), which
 * selects the layout of the doubles, and {@code provenance} ({@link ModelProvenance},
 * null when the artifact has none). Versions 1 to 3 have neither: their kind follows from
 * {@code kernel}, and they decode with a null provenance. Kind "trees" (added within
 * version 4; older readers refuse it as an unknown kind) keeps the whole
 * {@link TreeEnsemble} as JSON in the header field {@code trees} and has no doubles after
 * the header; its preprocessing's {@code encoding} is "ORDINAL". A preprocessing without
 * {@code encoding} (every artifact written before it) is "STANDARD".</li>
 * <li>Version 5 (written when the artifact has a background, version 4 otherwise, so that
 * artifacts without one stay readable by version 4 readers): as version 4, plus
 * {@code background}, the number of background rows ({@link ModelArtifact#background()},
 * null when there are none), whose doubles (rows * encoded width, row-major) follow the
 * model's doubles (after the header for trees).</li>
 * <li>Version 6 (written for compressed models only, so every other artifact keeps its
 * version and its bytes): as version 5, plus {@code weights}, the {@link WeightPrecision}
 * of a network's weight matrices ("float16" or "int8"; absent in every other artifact).
 * Per layer the weights are then, instead of doubles, float16: inputs*outputs IEEE halves
 * (2 bytes each, row-major [inputs][outputs]); int8: one float32 scale per output neuron
 * (outputs * 4 bytes), then inputs*outputs signed bytes (code * scale of the code's
 * output column is the weight). The bias (outputs doubles) follows as before, then the
 * background, if any, as doubles.</li>
 * </ul>
 * A new kind of predictor is one branch in {@link #encode} and one in {@link #decode}.
 */
public final class ModelArtifactCodec {

	/**
	 * The newest format version, written by {@link #encode} for artifacts with a
	 * background; those without one are written as {@link #FORMAT_VERSION_4}.
	 */
	public static final int FORMAT_VERSION = 5;

	/**
	 * Adds quantised weight matrices; written only for compressed models (a
	 * {@link ModelArtifact#weightPrecision()} other than FLOAT64).
	 */
	public static final int FORMAT_VERSION_6 = 6;

	/** Adds predictor kinds and provenance (and, within it, tree models). */
	public static final int FORMAT_VERSION_4 = 4;

	/** Adds one-vs-one kernel models (the kernel header's strategy). */
	static final int FORMAT_VERSION_3 = 3;

	/** Adds kernel models (one-vs-rest only). */
	static final int FORMAT_VERSION_2 = 2;

	/** The first format: network models only. */
	static final int FORMAT_VERSION_1 = 1;

	private static final byte[] MAGIC = { 'F', 'S', 'M', 'A' };

	private static final int PREFIX_BYTES = MAGIC.length + 4 + 4;

	private static final int CHECKSUM_BYTES = 4;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ModelArtifactCodec() {
	}

	record LayerShape(int inputs, int outputs) {
	}

	record KernelHeader(Kernel kernel, double gamma, int degree, double coef0, String approximation, int numFeatures,
			int vectors, int numClasses, boolean calibrated, String strategy) {

		int machines() {
			return KernelModel.machines(this.numClasses, this.strategy);
		}

		long doubles() {
			int machines = machines();
			return (long) this.vectors * this.numFeatures + (long) machines * this.vectors + 3L * machines;
		}

	}

	record Header(Task task, List<String> classLabels, Preprocessing preprocessing, Activation hiddenActivation,
			OutputKind output, List<LayerShape> layers, KernelHeader kernel, String predictor,
			ModelProvenance provenance, TreeEnsemble trees,
			@JsonInclude(JsonInclude.Include.NON_NULL) Integer background,
			@JsonInclude(JsonInclude.Include.NON_NULL) double[][] centroids,
			@JsonInclude(JsonInclude.Include.NON_NULL) WeightPrecision weights) {

		Header(Task task, List<String> classLabels, Preprocessing preprocessing, Activation hiddenActivation,
				OutputKind output, List<LayerShape> layers, KernelHeader kernel, String predictor,
				ModelProvenance provenance) {
			this(task, classLabels, preprocessing, hiddenActivation, output, layers, kernel, predictor, provenance,
					null, null, null, null);
		}

		Header withBackground(Integer rows) {
			return new Header(this.task, this.classLabels, this.preprocessing, this.hiddenActivation, this.output,
					this.layers, this.kernel, this.predictor, this.provenance, this.trees, rows, this.centroids,
					this.weights);
		}

		Header withWeights(WeightPrecision weights) {
			return new Header(this.task, this.classLabels, this.preprocessing, this.hiddenActivation, this.output,
					this.layers, this.kernel, this.predictor, this.provenance, this.trees, this.background,
					this.centroids, weights);
		}

	}

	/**
	 * Encodes the artifact; throws IllegalArgumentException when it is inconsistent (e.g.
	 * wrong weight lengths).
	 */
	public static byte[] encode(ModelArtifact artifact) {
		Predictor predictor = artifact.predictor();
		if (predictor instanceof DenseNetwork network) {
			return encodeNetwork(artifact, network.weights());
		}
		if (predictor instanceof KernelPredictor kernel) {
			return encodeKernel(artifact, kernel.model());
		}
		if (predictor instanceof TreePredictor trees) {
			checkTrees(trees.model(), artifact.preprocessing());
			Header header = new Header(artifact.task(), artifact.classLabels(), artifact.preprocessing(), null, null,
					List.of(), null, TreePredictor.KIND, artifact.provenance(), trees.model(), null, null, null);
			return finish(putBackground(start(header, 0, artifact), artifact));
		}
		if (predictor instanceof KMeansPredictor kmeans) {
			// the centroids travel in the header, as the trees do (JSON numbers
			// round-trip
			// doubles exactly)
			Header header = new Header(artifact.task(), artifact.classLabels(), artifact.preprocessing(), null, null,
					List.of(), null, KMeansPredictor.KIND, artifact.provenance(), null, null, kmeans.centroids(), null);
			return finish(putBackground(start(header, 0, artifact), artifact));
		}
		throw new IllegalArgumentException("no artifact layout for the predictor " + predictor.kind());
	}

	private static byte[] encodeNetwork(ModelArtifact artifact, NetworkWeights network) {
		if (network.output() == null) {
			throw new IllegalArgumentException("network output kind is missing");
		}
		List<LayerShape> shapes = new ArrayList<>();
		for (DenseLayer layer : network.layers()) {
			shapes.add(new LayerShape(layer.inputs(), layer.outputs()));
		}
		WeightPrecision precision = artifact.weightPrecision();
		checkShapes(shapes, artifact.preprocessing());
		long bytes = modelBytes(shapes, precision);
		for (DenseLayer layer : network.layers()) {
			if (layer.weights() == null || layer.weights().length != (long) layer.inputs() * layer.outputs()
					|| layer.bias() == null || layer.bias().length != layer.outputs()) {
				throw new IllegalArgumentException(
						"layer weights/bias lengths do not match its shape " + layer.inputs() + "x" + layer.outputs());
			}
		}
		Header header = new Header(artifact.task(), artifact.classLabels(), artifact.preprocessing(),
				network.hiddenActivation(), network.output(), shapes, null, artifact.predictor().kind(),
				artifact.provenance());
		if (precision != WeightPrecision.FLOAT64) {
			header = header.withWeights(precision);
		}
		ByteBuffer buffer = start(header, bytes, artifact);
		for (DenseLayer layer : network.layers()) {
			putWeights(buffer, layer, precision);
			putDoubles(buffer, layer.bias());
		}
		return finish(putBackground(buffer, artifact));
	}

	private static byte[] encodeKernel(ModelArtifact artifact, KernelModel kernel) {
		KernelHeader kernelHeader = new KernelHeader(kernel.kernel(), kernel.gamma(), kernel.degree(), kernel.coef0(),
				kernel.approximation(), kernel.numFeatures(), kernel.vectors().length, kernel.numClasses(),
				kernel.calibrated(), kernel.strategy());
		long doubles = checkKernel(kernelHeader, artifact.preprocessing());
		Header header = new Header(artifact.task(), artifact.classLabels(), artifact.preprocessing(), null, null,
				List.of(), kernelHeader, artifact.predictor().kind(), artifact.provenance());
		ByteBuffer buffer = start(header, doubles * Double.BYTES, artifact);
		for (double[] vector : kernel.vectors()) {
			putDoubles(buffer, vector);
		}
		for (double[] coefficients : kernel.coefficients()) {
			putDoubles(buffer, coefficients);
		}
		putDoubles(buffer, kernel.bias());
		putDoubles(buffer, kernel.plattA());
		putDoubles(buffer, kernel.plattB());
		return finish(putBackground(buffer, artifact));
	}

	/**
	 * Allocates the whole artifact (the model's bytes and the artifact's background) and
	 * writes magic, version (6 for quantised weights, else 5 with a background, else 4)
	 * and header.
	 */
	private static ByteBuffer start(Header header, long modelBytes, ModelArtifact artifact) {
		boolean background = artifact.hasBackground();
		long backgroundDoubles = 0;
		if (background) {
			int rows = artifact.background().length;
			header = header.withBackground(rows);
			backgroundDoubles = (long) rows * artifact.preprocessing().outputWidth();
		}
		byte[] json = JSON.writeValueAsBytes(header);
		long total = PREFIX_BYTES + (long) json.length + modelBytes + backgroundDoubles * Double.BYTES + CHECKSUM_BYTES;
		if (total > Integer.MAX_VALUE - 16) {
			throw new IllegalArgumentException("model too large to encode: " + total + " bytes");
		}
		ByteBuffer buffer = ByteBuffer.allocate((int) total);
		int version = (header.weights() != null) ? FORMAT_VERSION_6 : background ? FORMAT_VERSION : FORMAT_VERSION_4;
		buffer.put(MAGIC).putInt(version).putInt(json.length).put(json);
		return buffer;
	}

	/** Writes the artifact's background rows, if any, after the model. */
	private static ByteBuffer putBackground(ByteBuffer buffer, ModelArtifact artifact) {
		if (artifact.hasBackground()) {
			for (double[] row : artifact.background()) {
				putDoubles(buffer, row);
			}
		}
		return buffer;
	}

	/**
	 * Reads the background rows the header announces (null when none); version 5 only.
	 */
	private static double[][] readBackground(ByteBuffer buffer, Header header, int width) {
		Integer rows = header.background();
		if (rows == null) {
			return null;
		}
		double[][] background = new double[rows][];
		for (int r = 0; r < rows; r++) {
			background[r] = getDoubles(buffer, width);
		}
		return background;
	}

	/** Doubles the header's background takes; checks its row count. */
	private static long backgroundDoubles(Header header, int version) {
		Integer rows = header.background();
		if (rows == null) {
			return 0;
		}
		if (version < FORMAT_VERSION) {
			throw corrupt("a version " + version + " artifact has no background");
		}
		if (rows < 1 || rows > ModelArtifact.MAX_BACKGROUND_ROWS) {
			throw corrupt("bad background row count " + rows);
		}
		return (long) rows * header.preprocessing().outputWidth();
	}

	private static byte[] finish(ByteBuffer buffer) {
		CRC32 crc = new CRC32();
		crc.update(buffer.array(), 0, buffer.position());
		buffer.putInt((int) crc.getValue());
		return buffer.array();
	}

	/**
	 * Decodes an artifact; throws IllegalArgumentException("corrupt model artifact: ...")
	 * on bad magic, unknown version, truncation, trailing bytes, checksum mismatch or an
	 * inconsistent header.
	 */
	public static ModelArtifact decode(byte[] bytes) {
		if (bytes == null) {
			throw corrupt("no bytes");
		}
		if (bytes.length < PREFIX_BYTES + CHECKSUM_BYTES) {
			throw corrupt("truncated (" + bytes.length + " bytes)");
		}
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		byte[] magic = new byte[MAGIC.length];
		buffer.get(magic);
		if (!Arrays.equals(magic, MAGIC)) {
			throw corrupt("bad magic");
		}
		int version = buffer.getInt();
		if (version != FORMAT_VERSION_6 && version != FORMAT_VERSION && version != FORMAT_VERSION_4
				&& version != FORMAT_VERSION_3 && version != FORMAT_VERSION_2 && version != FORMAT_VERSION_1) {
			throw corrupt("unsupported format version " + version);
		}
		int headerLength = buffer.getInt();
		if (headerLength <= 0 || headerLength > buffer.remaining() - CHECKSUM_BYTES) {
			throw corrupt("truncated or bad header length " + headerLength);
		}
		Header header;
		try {
			header = JSON.readValue(bytes, buffer.position(), headerLength, Header.class);
		}
		catch (RuntimeException ex) {
			throw corrupt("unreadable header: " + ex.getMessage(), ex);
		}
		buffer.position(buffer.position() + headerLength);
		if (header == null || header.task() == null || header.preprocessing() == null) {
			throw corrupt("incomplete header");
		}
		String kind = header.predictor();
		if (version < FORMAT_VERSION_4) {
			if (kind != null || header.provenance() != null) {
				throw corrupt("a version " + version + " artifact has no predictor kind or provenance");
			}
			kind = (header.kernel() != null) ? KernelPredictor.KIND : NetworkPredictor.KIND;
		}
		KernelHeader kernelHeader = header.kernel();
		long backgroundDoubles = backgroundDoubles(header, version);
		WeightPrecision precision = header.weights();
		if ((version == FORMAT_VERSION_6) != (precision != null)) {
			throw corrupt("a version " + version + " artifact " + (precision != null ? "has no" : "needs")
					+ " quantised weights");
		}
		if (precision == WeightPrecision.FLOAT64 || (precision != null && !NetworkPredictor.KIND.equals(kind))) {
			throw corrupt("a " + kind + " model cannot store " + precision.wireName() + " weights");
		}
		if (TreePredictor.KIND.equals(kind)) {
			return decodeTrees(bytes, buffer, header, backgroundDoubles);
		}
		if (KMeansPredictor.KIND.equals(kind)) {
			return decodeKMeans(bytes, buffer, header, backgroundDoubles);
		}
		if (header.centroids() != null) {
			throw corrupt("the header of a " + kind + " model has centroids");
		}
		if (header.trees() != null) {
			throw corrupt("the header of a " + kind + " model has trees");
		}
		if (!KernelPredictor.KIND.equals(kind) && !NetworkPredictor.KIND.equals(kind)) {
			throw corrupt("unknown predictor kind " + kind);
		}
		if (KernelPredictor.KIND.equals(kind) != (kernelHeader != null)) {
			throw corrupt(
					"the header of a " + kind + " model " + (kernelHeader != null ? "has" : "lacks") + " a kernel");
		}
		if (kernelHeader != null && version == FORMAT_VERSION_1) {
			throw corrupt("a version 1 artifact cannot hold a kernel model");
		}
		if (kernelHeader != null && version == FORMAT_VERSION_2) {
			if (kernelHeader.strategy() != null) {
				throw corrupt("a version 2 artifact has no multi-class strategy");
			}
			// version 2 kernel models were one-vs-rest
			kernelHeader = new KernelHeader(kernelHeader.kernel(), kernelHeader.gamma(), kernelHeader.degree(),
					kernelHeader.coef0(), kernelHeader.approximation(), kernelHeader.numFeatures(),
					kernelHeader.vectors(), kernelHeader.numClasses(), kernelHeader.calibrated(), KernelModel.OVR);
		}
		if (kernelHeader == null
				&& (header.output() == null || header.layers() == null || header.layers().contains(null))) {
			throw corrupt("incomplete header");
		}
		long modelBytes;
		try {
			if (kernelHeader != null) {
				modelBytes = checkKernel(kernelHeader, header.preprocessing()) * Double.BYTES;
			}
			else {
				checkShapes(header.layers(), header.preprocessing());
				modelBytes = modelBytes(header.layers(), precision == null ? WeightPrecision.FLOAT64 : precision);
			}
		}
		catch (IllegalArgumentException ex) {
			throw corrupt(ex.getMessage(), ex);
		}
		long expected = modelBytes + backgroundDoubles * Double.BYTES + CHECKSUM_BYTES;
		if (buffer.remaining() < expected) {
			throw corrupt("truncated: " + buffer.remaining() + " bytes left, " + expected + " needed");
		}
		if (buffer.remaining() > expected) {
			throw corrupt((buffer.remaining() - expected) + " trailing bytes");
		}
		List<String> labels = checkedLabels(bytes, header);
		try {
			Predictor predictor = switch (kind) {
				case KernelPredictor.KIND -> Predictor.kernel(readKernel(buffer, kernelHeader));
				default -> Predictor.network(readNetwork(buffer, header));
			};
			double[][] background = readBackground(buffer, header, header.preprocessing().outputWidth());
			return new ModelArtifact(header.task(), labels, header.preprocessing(), predictor, header.provenance(),
					background, precision);
		}
		catch (BufferUnderflowException ex) {
			throw corrupt("truncated weights", ex);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw corrupt("inconsistent model: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Checks the artifact's trailing CRC32 and the header's class labels (no nulls);
	 * returns the labels.
	 */
	private static List<String> checkedLabels(byte[] bytes, Header header) {
		CRC32 crc = new CRC32();
		crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
		if (ByteBuffer.wrap(bytes, bytes.length - CHECKSUM_BYTES, CHECKSUM_BYTES).getInt() != (int) crc.getValue()) {
			throw corrupt("checksum mismatch");
		}
		List<String> labels = header.classLabels();
		if (labels != null && labels.contains(null)) {
			throw corrupt("null class label");
		}
		return labels;
	}

	/**
	 * Corrupt unless exactly the background's doubles and the checksum are left, as for
	 * the kinds whose model is all in the header.
	 */
	private static void expectBackgroundAndChecksum(ByteBuffer buffer, long backgroundDoubles) {
		long expected = backgroundDoubles * Double.BYTES + CHECKSUM_BYTES;
		if (buffer.remaining() != expected) {
			throw corrupt(
					buffer.remaining() < expected ? "truncated" : (buffer.remaining() - expected) + " trailing bytes");
		}
	}

	/**
	 * The rest of a "trees" artifact: nothing but the background, if any, and the
	 * checksum after the header.
	 */
	private static ModelArtifact decodeTrees(byte[] bytes, ByteBuffer buffer, Header header, long backgroundDoubles) {
		if (header.trees() == null || header.kernel() != null) {
			throw corrupt("the header of a trees model lacks its trees or has a kernel");
		}
		expectBackgroundAndChecksum(buffer, backgroundDoubles);
		List<String> labels = checkedLabels(bytes, header);
		try {
			checkTrees(header.trees(), header.preprocessing());
			double[][] background = readBackground(buffer, header, header.preprocessing().outputWidth());
			return new ModelArtifact(header.task(), labels, header.preprocessing(), Predictor.trees(header.trees()),
					header.provenance(), background);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw corrupt("inconsistent model: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The rest of a "kmeans" artifact (the centroids are in the header): the background,
	 * if any, and the checksum.
	 */
	private static ModelArtifact decodeKMeans(byte[] bytes, ByteBuffer buffer, Header header, long backgroundDoubles) {
		if (header.centroids() == null || header.kernel() != null || header.trees() != null) {
			throw corrupt("the header of a kmeans model lacks its centroids or has a kernel or trees");
		}
		expectBackgroundAndChecksum(buffer, backgroundDoubles);
		List<String> labels = checkedLabels(bytes, header);
		try {
			KMeansPredictor predictor = new KMeansPredictor(header.centroids());
			if (predictor.width() != header.preprocessing().outputWidth()) {
				throw new IllegalArgumentException("the centroids have " + predictor.width() + " values, expected "
						+ header.preprocessing().outputWidth());
			}
			double[][] background = readBackground(buffer, header, header.preprocessing().outputWidth());
			return new ModelArtifact(header.task(), labels, header.preprocessing(), predictor, header.provenance(),
					background);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw corrupt("inconsistent model: " + ex.getMessage(), ex);
		}
	}

	/** A tree ensemble takes one ordinal column per feature. */
	private static void checkTrees(TreeEnsemble trees, Preprocessing preprocessing) {
		if (!preprocessing.ordinal()) {
			throw new IllegalArgumentException("a tree model needs an ordinal preprocessing");
		}
		if (trees.numFeatures() != preprocessing.outputWidth() || trees.trees() == null
				|| trees.trees().stream().anyMatch(java.util.Objects::isNull)) {
			throw new IllegalArgumentException(
					"the tree model takes " + trees.numFeatures() + " inputs, expected " + preprocessing.outputWidth());
		}
	}

	private static NetworkWeights readNetwork(ByteBuffer buffer, Header header) {
		List<DenseLayer> layers = new ArrayList<>(header.layers().size());
		WeightPrecision precision = (header.weights() == null) ? WeightPrecision.FLOAT64 : header.weights();
		for (LayerShape shape : header.layers()) {
			double[] weights = getWeights(buffer, shape, precision);
			double[] bias = getDoubles(buffer, shape.outputs());
			layers.add(new DenseLayer(shape.inputs(), shape.outputs(), weights, bias));
		}
		return new NetworkWeights(List.copyOf(layers), header.hiddenActivation(), header.output());
	}

	private static KernelModel readKernel(ByteBuffer buffer, KernelHeader h) {
		double[][] vectors = new double[h.vectors()][];
		for (int v = 0; v < vectors.length; v++) {
			vectors[v] = getDoubles(buffer, h.numFeatures());
		}
		int machines = h.machines();
		double[][] coefficients = new double[machines][];
		for (int m = 0; m < machines; m++) {
			coefficients[m] = getDoubles(buffer, h.vectors());
		}
		double[] bias = getDoubles(buffer, machines);
		double[] plattA = getDoubles(buffer, machines);
		double[] plattB = getDoubles(buffer, machines);
		return new KernelModel(h.kernel(), h.gamma(), h.degree(), h.coef0(), h.approximation(), h.numFeatures(),
				vectors, coefficients, bias, plattA, plattB, h.calibrated(), h.numClasses(), h.strategy());
	}

	/**
	 * Validates a kernel header against the preprocessing width; returns the number of
	 * doubles to store.
	 */
	private static long checkKernel(KernelHeader h, Preprocessing preprocessing) {
		if (h.kernel() == null || h.approximation() == null) {
			throw new IllegalArgumentException("kernel or approximation is missing");
		}
		if (!KernelModel.OVR.equals(h.strategy()) && !KernelModel.OVO.equals(h.strategy())) {
			throw new IllegalArgumentException("bad or missing multi-class strategy " + h.strategy());
		}
		if (h.numFeatures() != preprocessing.outputWidth()) {
			throw new IllegalArgumentException(
					"the kernel model takes " + h.numFeatures() + " inputs, expected " + preprocessing.outputWidth());
		}
		if (h.vectors() < 0 || h.numClasses() < 2 || h.numClasses() > 1_000_000) {
			throw new IllegalArgumentException("bad kernel model sizes");
		}
		if (KernelModel.OVO.equals(h.strategy()) && h.numClasses() > 46_340) {
			// k(k-1)/2 machines must stay an int
			throw new IllegalArgumentException("too many classes for one-vs-one");
		}
		long doubles = h.doubles();
		if (doubles > Integer.MAX_VALUE / Double.BYTES) {
			throw new IllegalArgumentException("kernel model too large");
		}
		return doubles;
	}

	/**
	 * Validates the layer chain against the preprocessing width; returns the number of
	 * doubles to store.
	 */
	private static long checkShapes(List<LayerShape> shapes, Preprocessing preprocessing) {
		if (shapes.isEmpty()) {
			throw new IllegalArgumentException("network has no layers");
		}
		long doubles = 0;
		int expectedInputs = preprocessing.outputWidth();
		for (int i = 0; i < shapes.size(); i++) {
			LayerShape shape = shapes.get(i);
			if (shape.inputs() != expectedInputs) {
				throw new IllegalArgumentException(
						"layer " + i + " has " + shape.inputs() + " inputs, expected " + expectedInputs);
			}
			if (shape.outputs() <= 0) {
				throw new IllegalArgumentException("layer " + i + " has " + shape.outputs() + " outputs");
			}
			doubles += (long) shape.inputs() * shape.outputs() + shape.outputs();
			if (doubles > Integer.MAX_VALUE / Double.BYTES) {
				throw new IllegalArgumentException("network too large");
			}
			expectedInputs = shape.outputs();
		}
		return doubles;
	}

	/**
	 * Bytes the layers take: per layer its weight matrix at the precision (with int8's
	 * scales) and its bias as doubles.
	 */
	private static long modelBytes(List<LayerShape> shapes, WeightPrecision precision) {
		long bytes = 0;
		for (LayerShape shape : shapes) {
			bytes += matrixBytes(shape.inputs(), shape.outputs(), precision) + (long) shape.outputs() * Double.BYTES;
		}
		return bytes;
	}

	/** Bytes one weight matrix takes at the precision, int8's scales included. */
	private static long matrixBytes(int inputs, int outputs, WeightPrecision precision) {
		long weights = (long) inputs * outputs;
		return switch (precision) {
			case FLOAT64 -> weights * Double.BYTES;
			case FLOAT16 -> weights * Short.BYTES;
			case INT8 -> weights + (long) outputs * Float.BYTES;
		};
	}

	/**
	 * Bytes the artifact's weight matrices take stored at its precision (int8's scales
	 * included; biases, header and background not): 0 for a model without dense layers.
	 */
	public static long weightBytes(ModelArtifact artifact) {
		if (!(artifact.predictor() instanceof DenseNetwork network)) {
			return 0;
		}
		long bytes = 0;
		for (DenseLayer layer : network.weights().layers()) {
			bytes += matrixBytes(layer.inputs(), layer.outputs(), artifact.weightPrecision());
		}
		return bytes;
	}

	private static void putWeights(ByteBuffer buffer, DenseLayer layer, WeightPrecision precision) {
		switch (precision) {
			case FLOAT64 -> putDoubles(buffer, layer.weights());
			case FLOAT16 -> {
				for (short half : Quantization.quantiseHalf(layer.weights())) {
					buffer.putShort(half);
				}
			}
			case INT8 -> {
				float[] scales = Quantization.int8Scales(layer.weights(), layer.inputs(), layer.outputs());
				for (float scale : scales) {
					buffer.putFloat(scale);
				}
				buffer.put(Quantization.quantiseInt8(layer.weights(), layer.outputs(), scales));
			}
		}
	}

	private static double[] getWeights(ByteBuffer buffer, LayerShape shape, WeightPrecision precision) {
		int count = shape.inputs() * shape.outputs();
		return switch (precision) {
			case FLOAT64 -> getDoubles(buffer, count);
			case FLOAT16 -> {
				short[] halves = new short[count];
				for (int i = 0; i < count; i++) {
					halves[i] = buffer.getShort();
				}
				yield Quantization.dequantiseHalf(halves);
			}
			case INT8 -> {
				float[] scales = new float[shape.outputs()];
				for (int o = 0; o < scales.length; o++) {
					scales[o] = buffer.getFloat();
					if (!Float.isFinite(scales[o]) || scales[o] < 0) {
						throw new IllegalArgumentException("bad int8 scale " + scales[o]);
					}
				}
				byte[] codes = new byte[count];
				buffer.get(codes);
				for (byte code : codes) {
					if (code < -Quantization.INT8_MAX) {
						throw new IllegalArgumentException("int8 code " + code + " is outside [-127, 127]");
					}
				}
				yield Quantization.dequantiseInt8(codes, shape.outputs(), scales);
			}
		};
	}

	private static void putDoubles(ByteBuffer buffer, double[] values) {
		buffer.asDoubleBuffer().put(values);
		buffer.position(buffer.position() + values.length * Double.BYTES);
	}

	private static double[] getDoubles(ByteBuffer buffer, int count) {
		double[] values = new double[count];
		buffer.asDoubleBuffer().get(values);
		buffer.position(buffer.position() + count * Double.BYTES);
		return values;
	}

	private static IllegalArgumentException corrupt(String reason) {
		return new IllegalArgumentException("corrupt model artifact: " + reason);
	}

	private static IllegalArgumentException corrupt(String reason, Throwable cause) {
		return new IllegalArgumentException("corrupt model artifact: " + reason, cause);
	}

}
