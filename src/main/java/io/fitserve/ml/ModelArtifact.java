package io.fitserve.ml;

import java.util.List;
import java.util.Objects;

/** The stored model: network weights, fitted preprocessing and class labels (empty for regression). */
public record ModelArtifact(Task task, List<String> classLabels, Preprocessing preprocessing, NetworkWeights network) {

	public ModelArtifact {
		Objects.requireNonNull(task, "task");
		Objects.requireNonNull(preprocessing, "preprocessing");
		Objects.requireNonNull(network, "network");
		classLabels = (classLabels != null) ? List.copyOf(classLabels) : List.of();
	}

}
