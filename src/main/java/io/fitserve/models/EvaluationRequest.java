package io.fitserve.models;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Which uploaded dataset to score a model on; it needs the model's feature columns and
 * its target.
 */
@Schema(example = """
		{"datasetId": "3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f"}
		""")
public record EvaluationRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String datasetId,
		@Schema(description = "clustering models only (and required for them): the column of known groups the "
				+ "clusters are compared with (adjusted Rand index, mutual information)") String labelColumn) {

	/** A request for a regression or classification model. */
	public EvaluationRequest(String datasetId) {
		this(datasetId, null);
	}

}
