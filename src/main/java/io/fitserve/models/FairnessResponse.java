package io.fitserve.models;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.fitserve.ml.eval.GroupFairness;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A classifier's rates per group of a sensitive feature and the disparities between them.
 */
@Schema(description = "A classifier's rates per group of a sensitive feature on a dataset and the disparities between "
		+ "the groups, as fairlearn defines them")
public record FairnessResponse(UUID id, UUID modelId, UUID datasetId, String datasetName, String datasetSha256,
		@Schema(description = "the column whose values are the groups") String sensitiveFeature,
		@Schema(description = "binary: the rates are the positive label's and disparity holds the parity measures; "
				+ "multiclass: the rates are per class (one-vs-rest, perClass) and disparityPerClass holds the "
				+ "parity measures of each class",
				allowableValues = {
						"binary", "multiclass" }) String classification,
		List<String> classLabels,
		@Schema(description = "binary models: the class counted as positive; null for multiclass") String positiveLabel,
		@Schema(description = "binary models: the probability of the second class at or above which it was "
				+ "predicted; null for multiclass (the most probable class)") Double threshold,
		@Schema(description = "rows scored") long rows,
		@Schema(description = "rows left out: missing target or a class the model does not know; rows without a "
				+ "sensitive value are kept as the group \"(missing)\"") long rowsSkipped,
		@Schema(description = "every scored row together, named \"(overall)\"") GroupFairness.GroupRates overall,
		@Schema(description = "one per value of the sensitive feature with a scored row, sorted "
				+ "(numbers numerically), \"(missing)\" last; a rate with nothing to divide by (a TPR in a "
				+ "group without positives) is null") List<GroupFairness.GroupRates> groups,
		@Schema(description = "binary models: demographic parity difference (largest selection rate minus "
				+ "smallest) and ratio (smallest over largest; null when every group selects none), equalized odds "
				+ "difference (the larger of the TPR and FPR differences, each largest minus smallest); null rates "
				+ "are left out") GroupFairness.Disparity disparity,
		@Schema(description = "multiclass models: the same measures per class, one-vs-rest") List<GroupFairness.Disparity> disparityPerClass,
		List<String> warnings, Instant createdAt){

	static FairnessResponse from(ModelFairness f) {
		FairnessFigures figures = f.getFigures();
		return new FairnessResponse(f.getId(), f.getModelId(), f.getDatasetId(), f.getDatasetName(),
				f.getDatasetSha256(), f.getSensitiveFeature(), figures.classification(), figures.classLabels(),
				f.getPositiveLabel(), f.getDecisionThreshold(), f.getRowsEvaluated(), f.getRowsSkipped(),
				figures.overall(), figures.groups(), figures.disparity(), figures.disparityPerClass(), f.getWarnings(),
				f.getCreatedAt());
	}

}
