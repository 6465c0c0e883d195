package io.fitserve.ml.artifact;

import io.fitserve.ml.Task;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.List;
import java.util.Objects;

/**
 * The stored model: the task, class labels (empty for regression), the fitted
 * preprocessing, one {@link Predictor}, the model's {@link ModelProvenance} (null for
 * artifacts written before format version 4, or when the caller has none) and its
 * explanation background (null when it has none).
 *
 * @param background a small seeded sample of encoded training rows, the reference
 * distribution of sampled Shapley explanations ({@link #explanationBackground()}); only
 * models that are not {@link Explainable} carry one (format version 5), null otherwise
 * and in artifacts written before it
 * @param weightPrecision how the codec stores the weight matrices: FLOAT64 for every
 * trained model, FLOAT16 or INT8 for a compressed one (format version 6; its predictor
 * holds the dequantised weights); null reads as FLOAT64
 */
public record ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, Predictor predictor,
		ModelProvenance provenance, double[][] background, WeightPrecision weightPrecision) {

	/** Most background rows an artifact carries. */
	public static final int MAX_BACKGROUND_ROWS = 100;

	/**
	 * Most encoded values a background holds (2 MiB of doubles): wide encodings get fewer
	 * rows, so the background never dominates an artifact's size.
	 */
	public static final int MAX_BACKGROUND_VALUES = 262_144;

	/** Background rows for an encoded width: up to 100, fewer for wide encodings. */
	public static int backgroundRows(int encodedWidth) {
		return Math.max(1, Math.min(MAX_BACKGROUND_ROWS, MAX_BACKGROUND_VALUES / Math.max(1, encodedWidth)));
	}

	public ModelArtifact {
		Objects.requireNonNull(task, "task");
		Objects.requireNonNull(preprocessing, "preprocessing");
		classLabels = (classLabels != null) ? List.copyOf(classLabels) : List.of();
		if (predictor == null) {
			throw new IllegalArgumentException("a model artifact needs a predictor");
		}
		predictor.checkFits(task, classLabels);
		weightPrecision = (weightPrecision == null) ? WeightPrecision.FLOAT64 : weightPrecision;
		if (weightPrecision != WeightPrecision.FLOAT64 && !(predictor instanceof DenseNetwork)) {
			throw new IllegalArgumentException("only dense-layer models store " + weightPrecision.wireName()
					+ " weights, not " + predictor.kind());
		}
		if (background != null) {
			int width = preprocessing.outputWidth();
			if (background.length == 0 || background.length > MAX_BACKGROUND_ROWS) {
				throw new IllegalArgumentException(
						"a background has 1 to " + MAX_BACKGROUND_ROWS + " rows, got " + background.length);
			}
			double[][] copy = new double[background.length][];
			for (int r = 0; r < background.length; r++) {
				if (background[r] == null || background[r].length != width) {
					throw new IllegalArgumentException("every background row must have " + width + " encoded values");
				}
				copy[r] = background[r].clone();
			}
			background = copy;
		}
	}

	/** An artifact with double weights (every trained model). */
	public ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, Predictor predictor,
			ModelProvenance provenance, double[][] background) {
		this(task, classLabels, preprocessing, predictor, provenance, background, WeightPrecision.FLOAT64);
	}

	/** An artifact without provenance or background. */
	public ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, Predictor predictor) {
		this(task, classLabels, preprocessing, predictor, null, null);
	}

	/** An artifact without background. */
	public ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, Predictor predictor,
			ModelProvenance provenance) {
		this(task, classLabels, preprocessing, predictor, provenance, null);
	}

	/** The same model with another provenance (the background kept). */
	public ModelArtifact withProvenance(ModelProvenance provenance) {
		return new ModelArtifact(this.task, this.classLabels, this.preprocessing, this.predictor, provenance,
				this.background, this.weightPrecision);
	}

	/** The same model with another background (null: none). */
	public ModelArtifact withBackground(double[][] background) {
		return new ModelArtifact(this.task, this.classLabels, this.preprocessing, this.predictor, this.provenance,
				background, this.weightPrecision);
	}

	/** A copy of the background rows, or null. */
	@Override
	public double[][] background() {
		if (this.background == null) {
			return null;
		}
		double[][] copy = new double[this.background.length][];
		for (int r = 0; r < copy.length; r++) {
			copy[r] = this.background[r].clone();
		}
		return copy;
	}

	/** Whether the artifact carries a background sample of training rows. */
	public boolean hasBackground() {
		return this.background != null;
	}

	/**
	 * The reference rows of sampled explanations: the stored background, or for an
	 * artifact without one the single reference row the preprocessing implies (every
	 * feature missing, so imputed as in training: numeric features at their training
	 * mean, categorical ones at their most frequent level).
	 */
	public double[][] explanationBackground() {
		if (this.background != null) {
			return background();
		}
		return new double[][] { this.preprocessing.transformRow(new Object[this.preprocessing.features().size()]) };
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
