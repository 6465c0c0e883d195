package io.fitserve.ml;

/** Training produced a non-finite loss; the usual cure is a smaller learning rate. */
public class TrainingDivergedException extends RuntimeException {

	public TrainingDivergedException(String message) {
		super(message);
	}

}
