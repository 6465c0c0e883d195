package io.fitserve.ml.artifact;

/**
 * A model whose artifact {@link Quantization} cannot compress; the message says why,
 * naming the kind of model.
 */
public class ModelCompressionNotSupportedException extends RuntimeException {

	public ModelCompressionNotSupportedException(String message) {
		super(message);
	}

}
