package io.fitserve.models;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Where a model came from: with the dataset it names (checked by its SHA-256) and the
 * training spec, the same model can be trained again. trainingDetails records what the
 * spec left to the trainer: the solver used, the effective L2 of C, class weights, an SVM
 * approximation. backend is the compute backend that trained it, {@code cpu} or
 * {@code cuda} (see io.fitserve.compute). epochsRun, bestEpoch and stoppedEarly are those
 * of the evaluated fit, whose history (with its validation curve) the job keeps;
 * servedModel says which rows trained the served model, which with refit is a second fit
 * on every row.
 */
@Schema(description = "Where a model came from: with the dataset (checked by its SHA-256) and the training spec, the "
		+ "same model can be trained again")
public record Provenance(UUID datasetId, String datasetName, String datasetSha256, UUID trainingJobId,
		@Schema(description = "the job's resolved spec", ref = "#/components/schemas/TrainingSpec") Object trainingSpec,
		long seed, SplitSizes rows, ServedModel servedModel,
		@Schema(description = "epochs the evaluated fit ran (its history is the job's)") int epochsRun,
		@Schema(description = "the evaluated fit's epoch whose weights it kept") int bestEpoch,
		@Schema(description = "whether the evaluated fit stopped before its epochs") boolean stoppedEarly,
		@Schema(description = "what the spec left to the trainer: solver, effective l2 of C, class weights, an SVM "
				+ "approximation") Map<String, Object> trainingDetails,
		String nd4jVersion, String nd4jBackend, String javaVersion, String appVersion, Instant trainedAt,
		long trainingTimeMs, @Schema(description = "compute backend that trained it", allowableValues = {
				"cpu", "cuda" }) String backend,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Schema(
				description = "compressed models only: the model whose weights were quantised, and how; the rest "
						+ "of this provenance is that model's") CompressedFrom compressedFrom){

	/** A trained model's provenance (it was compressed from nothing). */
	public Provenance(UUID datasetId, String datasetName, String datasetSha256, UUID trainingJobId, Object trainingSpec,
			long seed, SplitSizes rows, ServedModel servedModel, int epochsRun, int bestEpoch, boolean stoppedEarly,
			Map<String, Object> trainingDetails, String nd4jVersion, String nd4jBackend, String javaVersion,
			String appVersion, Instant trainedAt, long trainingTimeMs, String backend) {
		this(datasetId, datasetName, datasetSha256, trainingJobId, trainingSpec, seed, rows, servedModel, epochsRun,
				bestEpoch, stoppedEarly, trainingDetails, nd4jVersion, nd4jBackend, javaVersion, appVersion, trainedAt,
				trainingTimeMs, backend, null);
	}

	/** This provenance, of a model compressed from the one it describes. */
	Provenance compressed(CompressedFrom from) {
		return new Provenance(datasetId, datasetName, datasetSha256, trainingJobId, trainingSpec, seed, rows,
				servedModel, epochsRun, bestEpoch, stoppedEarly, trainingDetails, nd4jVersion, nd4jBackend, javaVersion,
				appVersion, trainedAt, trainingTimeMs, backend, from);
	}

	/**
	 * The step that made a compressed model: its original (whose artifact's SHA-256 it
	 * names) and the precision its weights were quantised to.
	 */
	@Schema(name = "CompressedFrom", description = "The model a compressed model's weights were quantised from")
	public record CompressedFrom(UUID modelId, @Schema(allowableValues = {
			"float16", "int8" }) String precision,
			@Schema(description = "the original's artifact checksum") String artifactSha256,
			@Schema(description = "the fitserve version that compressed it") String appVersion, Instant compressedAt){
	}

	/** Row counts of each split, and rows left out because their target was missing. */
	@Schema(name = "SplitSizes", description = "Rows in each split, and rows left out because their target was missing")
	public record SplitSizes(int train, int validation, int test, int droppedMissingTarget) {
	}

	/**
	 * The rows that trained the served model: the splits, their row count, whether it is
	 * a refit (trained again on every row after the held-out rows evaluated a fit without
	 * them), and the epochs or boosting iterations whose weights it kept (null for models
	 * without epochs: exact solvers, kernel machines, forests).
	 */
	@Schema(name = "ServedModel", description = "Which rows trained the served model: with refit, every row with a "
			+ "target, after the held-out rows evaluated a fit without them")
	public record ServedModel(
			@Schema(description = "the splits, e.g. \"all rows: train, validation and test splits\" or \"train "
					+ "split\"") String trainedOn,
			@Schema(description = "rows that trained it") int rows,
			@Schema(description = "whether it was trained again on every row after the evaluation") boolean refit,
			@Schema(description = "epochs (boosting iterations) whose weights it kept; with refit, the count early "
					+ "stopping chose when it was in effect; null without epochs") Integer epochs) {
	}

}
