package io.fitserve.models;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Where a model came from: with the dataset it names (checked by its SHA-256) and the
 * training spec, the same model can be trained again. trainingDetails records what the
 * spec left to the trainer: the solver used, the effective L2 of C, class weights, an SVM
 * approximation. backend is the compute backend that trained it, {@code cpu} or
 * {@code cuda} (see io.fitserve.compute).
 */
@Schema(description = "Where a model came from: with the dataset (checked by its SHA-256) and the training spec, the "
		+ "same model can be trained again")
public record Provenance(UUID datasetId, String datasetName, String datasetSha256, UUID trainingJobId,
		@Schema(description = "the job's resolved spec", ref = "#/components/schemas/TrainingSpec") Object trainingSpec,
		long seed, SplitSizes rows, int epochsRun, int bestEpoch, boolean stoppedEarly,
		@Schema(description = "what the spec left to the trainer: solver, effective l2 of C, class weights, an SVM "
				+ "approximation") Map<String, Object> trainingDetails,
		String nd4jVersion, String nd4jBackend, String javaVersion, String appVersion, Instant trainedAt,
		long trainingTimeMs, @Schema(description = "compute backend that trained it", allowableValues = {
				"cpu", "cuda" }) String backend){

	/** Row counts of each split, and rows left out because their target was missing. */
	@Schema(name = "SplitSizes", description = "Rows in each split, and rows left out because their target was missing")
	public record SplitSizes(int train, int validation, int test, int droppedMissingTarget) {
	}

}
