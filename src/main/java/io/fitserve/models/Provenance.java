package io.fitserve.models;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Where a model came from: with the dataset it names (checked by its SHA-256) and the training
 * spec, the same model can be trained again. trainingDetails records what the spec left to the
 * trainer: the solver used, the effective L2 of C, class weights, an SVM approximation. backend is the compute
 * backend that trained it, {@code cpu} or {@code cuda} (see io.fitserve.compute).
 */
public record Provenance(UUID datasetId, String datasetName, String datasetSha256, UUID trainingJobId,
		Object trainingSpec, long seed, SplitSizes rows, int epochsRun, int bestEpoch, boolean stoppedEarly,
		Map<String, Object> trainingDetails, String nd4jVersion, String nd4jBackend, String javaVersion, String appVersion, Instant trainedAt,
		long trainingTimeMs, String backend) {

	/** Row counts of each split, and rows left out because their target was missing. */
	public record SplitSizes(int train, int validation, int test, int droppedMissingTarget) {
	}

}
