package io.fitserve.training;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A hyperparameter search: which values to try, how to score them, and within what
 * budget. Its OpenAPI schema is one variant per algorithm with that algorithm's search
 * space and hyperparameters (HyperparameterSchemas).
 */
@Schema(description = "A hyperparameter search: which values to try, how to score them, and within what budget.",
		example = """
				{"datasetId": "3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f", "target": "species", "algorithm": "mlp",
				 "strategy": "random", "trials": 8, "folds": 3, "metric": "accuracy", "timeBudgetSeconds": 600, "seed": 7,
				 "space": {"learningRate": {"min": 0.0001, "max": 0.1, "log": true}, "hiddenLayers": [[32], [64], [64, 32]]},
				 "hyperparameters": {"epochs": 100}}
				""")
public record TuningJobRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String datasetId,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String target,
		@Schema(description = "default: every other column") List<String> features,
		@Schema(description = "regression or classification; inferred when absent") String task,
		@Schema(description = "model family", requiredMode = Schema.RequiredMode.REQUIRED) String algorithm,
		@Schema(description = "grid (every combination of the listed values) or random (default)", allowableValues = {
				"grid", "random" }) String strategy,
		@Schema(description = "hyperparameter name -> a list of values, or a range {\"min\", \"max\", \"log\"} "
				+ "(random only)", requiredMode = Schema.RequiredMode.REQUIRED) Map<String, Object> space,
		@Schema(description = "random: number of trials, 1..200 (default 10)") Integer trials,
		@Schema(description = "cross-validation folds per trial, 2..10 (default 3)") Integer folds,
		@Schema(description = "metric to optimise: accuracy (default for classification), balancedAccuracy, f1, "
				+ "precision, recall, logLoss, rocAuc, prAuc; r2 (default for regression), mse, rmse, mae, "
				+ "medianAbsoluteError, explainedVariance") String metric,
		@Schema(description = "no new trial starts after this many seconds (default 3600)") Integer timeBudgetSeconds,
		@Schema(description = "hyperparameters fixed for every trial") Map<String, Object> hyperparameters,
		@Schema(description = "share of rows held out for the best model's test metrics (default 0.2)") Double testFraction,
		@Schema(description = "fixes the sampled trials, the folds and the training (default 42)") Long seed,
		@Schema(description = "the best configuration's training job's refit (default true): its served model is "
				+ "trained again on every row, test rows included, after the test metrics were measured") Boolean refit){
}
