package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;
import java.util.Objects;

/**
 * The stored model: the task, class labels (empty for regression), the fitted
 * preprocessing, one {@link Predictor} and the model's {@link ModelProvenance} (null for
 * artifacts written before format version 4, or when the caller has none).
 */
public record ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, Predictor predictor,
		ModelProvenance provenance) {

	public ModelArtifact {
		Objects.requireNonNull(task, "task");
		Objects.requireNonNull(preprocessing, "preprocessing");
		classLabels = (classLabels != null) ? List.copyOf(classLabels) : List.of();
		if (predictor == null) {
			throw new IllegalArgumentException("a model artifact needs a predictor");
		}
		predictor.checkFits(task, classLabels);
	}

	/** An artifact without provenance. */
	public ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, Predictor predictor) {
		this(task, classLabels, preprocessing, predictor, null);
	}

	/** The same model with another provenance. */
	public ModelArtifact withProvenance(ModelProvenance provenance) {
		return new ModelArtifact(this.task, this.classLabels, this.preprocessing, this.predictor, provenance);
	}

	/**
	 * Predicts one row already transformed by {@link #preprocessing()}: {@code {value}}
	 * for regression, class probabilities (length {@code classLabels().size()}, summing
	 * to 1) for classification.
	 */
	public double[] predict(double[] x) {
		return this.predictor.predict(x, outputs());
	}

	/** Predicts each row, as {@link #predict}. */
	public double[][] predictBatch(double[][] x) {
		Objects.requireNonNull(x, "x");
		return this.predictor.predictBatch(x, outputs());
	}

	private int outputs() {
		return (this.task == Task.CLASSIFICATION) ? this.classLabels.size() : 0;
	}

}
