package io.fitserve.prediction;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/** Rows to predict, each a JSON object keyed by feature name. */
@Schema(example = """
		{"rows": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
		          {"sepal_length": "6.7", "sepal_width": 3.0, "petal_length": 5.2, "petal_width": null}],
		 "explain": false}
		""")
public record PredictionRequest(
		@Schema(description = "objects keyed by feature name; numbers may be JSON numbers or numeric strings, "
				+ "null means missing (imputed as in training)",
				requiredMode = Schema.RequiredMode.REQUIRED) List<Map<String, Object>> rows,
		@Schema(description = "binary models: probability of the second class at or above which it is predicted; a "
				+ "number in [0, 1] or \"best_f1\" for the threshold that maximised F1 on validation data; default 0.5",
				example = "0.5") Object threshold,
		@Schema(description = "add each feature's contribution to the row's score: exact for linear models, "
				+ "TreeSHAP for tree models, a seeded sampling Shapley estimate for mlp and svm models",
				example = "false") Boolean explain,
		@Schema(description = "mlp and svm models with explain: permutations sampled per row (each drawn one "
				+ "with its reverse); 1 to " + PredictionService.MAX_EXPLAIN_SAMPLES + ", default "
				+ PredictionService.DEFAULT_EXPLAIN_SAMPLES + "; all m! permutations (exact values) when that is "
				+ "fewer", example = "64") Integer explainSamples,
		@Schema(description = "mlp and svm models with explain: seed of the sampled permutations, default "
				+ PredictionService.DEFAULT_EXPLAIN_SEED, example = "0") Long explainSeed) {

	/** A request with the default explanation settings. */
	public PredictionRequest(List<Map<String, Object>> rows, Object threshold, Boolean explain) {
		this(rows, threshold, explain, null, null);
	}

}
