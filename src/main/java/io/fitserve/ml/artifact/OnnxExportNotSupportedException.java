package io.fitserve.ml.artifact;

/**
 * A model that {@link OnnxExporter} cannot write as ONNX (yet); the message says why,
 * naming the algorithm or feature.
 */
public class OnnxExportNotSupportedException extends RuntimeException {

	public OnnxExportNotSupportedException(String message) {
		super(message);
	}

}
