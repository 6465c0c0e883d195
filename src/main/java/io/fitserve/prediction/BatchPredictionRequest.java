package io.fitserve.prediction;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Which stored dataset to score, what to do with rows the model cannot read, and whether
 * to keep the result as a dataset.
 */
@Schema(description = "A stored dataset to score in the background with this model", example = """
		{"datasetId": "3f1c2a9e-7d4b-4e8a-9a51-0c6d2b7e5f10", "saveAsDataset": false, "datasetName": null,
		 "threshold": null, "onError": "fail"}
		""")
public record BatchPredictionRequest(
		@Schema(description = "id of an uploaded dataset holding (at least) the model's features as columns",
				requiredMode = Schema.RequiredMode.REQUIRED) String datasetId,
		@Schema(description = "also store the result as a new dataset (resultDatasetId); default false",
				example = "false") Boolean saveAsDataset,
		@Schema(description = "name of the saved dataset; default \"<dataset name>-scored\"; only with saveAsDataset",
				example = "customers-scored") String datasetName,
		@Schema(description = "binary models: a number in [0, 1] or \"best_f1\", as in the synchronous prediction "
				+ "request; default: the most probable class", example = "0.5") Object threshold,
		@Schema(description = "a row the model cannot read: fail (default) fails the job naming the line; skip leaves "
				+ "it out and counts it in rowsSkipped",
				allowableValues = {
						"fail", "skip" },
				example = "fail") String onError){
}
