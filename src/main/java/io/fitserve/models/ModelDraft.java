package io.fitserve.models;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.ModelArtifact;
import io.fitserve.ml.Task;

/** Everything a finished training run hands over to become a stored model. */
public record ModelDraft(UUID jobId, UUID datasetId, Algorithm algorithm, Task task, String target,
		List<FeatureInfo> features, List<String> classLabels, Object hyperparameters, Map<String, Object> metrics,
		Provenance provenance, ModelArtifact artifact) {
}
