package io.fitserve.models;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Which uploaded dataset to measure a classifier's fairness on, and which of its columns
 * holds the groups.
 */
@Schema(example = """
		{"datasetId": "3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f", "sensitiveFeature": "sex"}
		""")
public record FairnessRequest(
		@Schema(description = "the dataset: it needs the model's feature columns, its target and the sensitive "
				+ "feature", requiredMode = Schema.RequiredMode.REQUIRED) String datasetId,
		@Schema(description = "the column whose values are the groups; it need not be one of the model's features",
				requiredMode = Schema.RequiredMode.REQUIRED, example = "sex") String sensitiveFeature,
		@Schema(description = "binary models: probability of the second class at or above which it is predicted; a "
				+ "number in [0, 1] or \"best_f1\"; default the model's decisionThreshold, 0.5 when it has none",
				example = "0.5") Object threshold,
		@Schema(description = "binary models: the class counted as positive (selection, true and false positive "
				+ "rates); default the second of the model's classLabels") String positiveLabel) {
}
