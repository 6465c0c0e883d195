package io.fitserve.ml;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import tools.jackson.databind.json.JsonMapper;

/**
 * Binary, versioned model artifact format (no Java serialization).
 *
 * <p>Layout, big-endian: magic "FSMA" (4 bytes), format version (int), header length (int), header (UTF-8 JSON:
 * task, classLabels, preprocessing, hiddenActivation, output, layer shapes), then per layer its weights
 * (inputs*outputs doubles, row-major [inputs][outputs]) and bias (outputs doubles), then a CRC32 (int) of all the
 * preceding bytes.
 */
public final class ModelArtifactCodec {

	/** Format version written by {@link #encode}. */
	public static final int FORMAT_VERSION = 1;

	private static final byte[] MAGIC = { 'F', 'S', 'M', 'A' };

	private static final int PREFIX_BYTES = MAGIC.length + 4 + 4;

	private static final int CHECKSUM_BYTES = 4;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ModelArtifactCodec() {
	}

	record LayerShape(int inputs, int outputs) {
	}

	record Header(Task task, List<String> classLabels, Preprocessing preprocessing, Activation hiddenActivation,
			OutputKind output, List<LayerShape> layers) {
	}

	/** Encodes the artifact; throws IllegalArgumentException when it is inconsistent (e.g. wrong weight lengths). */
	public static byte[] encode(ModelArtifact artifact) {
		NetworkWeights network = artifact.network();
		if (network.output() == null) {
			throw new IllegalArgumentException("network output kind is missing");
		}
		List<LayerShape> shapes = new ArrayList<>();
		for (DenseLayer layer : network.layers()) {
			shapes.add(new LayerShape(layer.inputs(), layer.outputs()));
		}
		long doubles = checkShapes(shapes, artifact.preprocessing());
		for (DenseLayer layer : network.layers()) {
			if (layer.weights() == null || layer.weights().length != (long) layer.inputs() * layer.outputs()
					|| layer.bias() == null || layer.bias().length != layer.outputs()) {
				throw new IllegalArgumentException("layer weights/bias lengths do not match its shape " + layer.inputs()
						+ "x" + layer.outputs());
			}
		}
		Header header = new Header(artifact.task(), artifact.classLabels(), artifact.preprocessing(),
				network.hiddenActivation(), network.output(), shapes);
		byte[] json = JSON.writeValueAsBytes(header);
		long total = PREFIX_BYTES + (long) json.length + doubles * Double.BYTES + CHECKSUM_BYTES;
		if (total > Integer.MAX_VALUE - 16) {
			throw new IllegalArgumentException("model too large to encode: " + total + " bytes");
		}
		ByteBuffer buffer = ByteBuffer.allocate((int) total);
		buffer.put(MAGIC).putInt(FORMAT_VERSION).putInt(json.length).put(json);
		for (DenseLayer layer : network.layers()) {
			putDoubles(buffer, layer.weights());
			putDoubles(buffer, layer.bias());
		}
		CRC32 crc = new CRC32();
		crc.update(buffer.array(), 0, buffer.position());
		buffer.putInt((int) crc.getValue());
		return buffer.array();
	}

	/**
	 * Decodes an artifact; throws IllegalArgumentException("corrupt model artifact: ...") on bad magic, unknown
	 * version, truncation, trailing bytes, checksum mismatch or an inconsistent header.
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
		if (version != FORMAT_VERSION) {
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
		if (header == null || header.task() == null || header.preprocessing() == null || header.output() == null
				|| header.layers() == null || header.layers().contains(null)) {
			throw corrupt("incomplete header");
		}
		long doubles;
		try {
			doubles = checkShapes(header.layers(), header.preprocessing());
		}
		catch (IllegalArgumentException ex) {
			throw corrupt(ex.getMessage(), ex);
		}
		long expected = doubles * Double.BYTES + CHECKSUM_BYTES;
		if (buffer.remaining() < expected) {
			throw corrupt("truncated: " + buffer.remaining() + " bytes left, " + expected + " needed");
		}
		if (buffer.remaining() > expected) {
			throw corrupt((buffer.remaining() - expected) + " trailing bytes");
		}
		CRC32 crc = new CRC32();
		crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
		if (ByteBuffer.wrap(bytes, bytes.length - CHECKSUM_BYTES, CHECKSUM_BYTES).getInt() != (int) crc.getValue()) {
			throw corrupt("checksum mismatch");
		}
		List<DenseLayer> layers = new ArrayList<>(header.layers().size());
		try {
			for (LayerShape shape : header.layers()) {
				double[] weights = getDoubles(buffer, shape.inputs() * shape.outputs());
				double[] bias = getDoubles(buffer, shape.outputs());
				layers.add(new DenseLayer(shape.inputs(), shape.outputs(), weights, bias));
			}
		}
		catch (BufferUnderflowException ex) {
			throw corrupt("truncated weights", ex);
		}
		List<String> labels = header.classLabels();
		if (labels != null && labels.contains(null)) {
			throw corrupt("null class label");
		}
		return new ModelArtifact(header.task(), labels, header.preprocessing(),
				new NetworkWeights(List.copyOf(layers), header.hiddenActivation(), header.output()));
	}

	/** Validates the layer chain against the preprocessing width; returns the number of doubles to store. */
	private static long checkShapes(List<LayerShape> shapes, Preprocessing preprocessing) {
		if (shapes.isEmpty()) {
			throw new IllegalArgumentException("network has no layers");
		}
		long doubles = 0;
		int expectedInputs = preprocessing.outputWidth();
		for (int i = 0; i < shapes.size(); i++) {
			LayerShape shape = shapes.get(i);
			if (shape.inputs() != expectedInputs) {
				throw new IllegalArgumentException("layer " + i + " has " + shape.inputs() + " inputs, expected "
						+ expectedInputs);
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
