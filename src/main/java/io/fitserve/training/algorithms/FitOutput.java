package io.fitserve.training.algorithms;

import java.util.List;
import java.util.Map;

import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.artifact.ModelArtifact;

/**
 * The fitted model and how it was fitted; the artifact is null when the fit was
 * cancelled.
 */
public record FitOutput(ModelArtifact artifact, List<EpochLoss> history, int bestEpoch, boolean stoppedEarly,
		boolean cancelled, Map<String, Object> details) {

	/**
	 * The details key under which a clustering fit returns its scores on the rows it
	 * grouped; the job stores them as the model's "clustering" metrics.
	 */
	public static final String CLUSTERING_METRICS = "clustering";

	/** A fit without epochs (exact solvers, kernel machines). */
	public static FitOutput exact(ModelArtifact artifact, Map<String, Object> details) {
		return new FitOutput(artifact, List.of(), 0, false, false, details);
	}

	public static FitOutput cancelled(Map<String, Object> details) {
		return new FitOutput(null, List.of(), 0, false, true, details);
	}

}
