package io.fitserve.training;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A request to train a model; only datasetId, target and algorithm are required. Its
 * OpenAPI schema is one variant per algorithm with that algorithm's hyperparameters
 * (HyperparameterSchemas).
 */
@Schema(description = "A request to train a model; only datasetId, target and algorithm are required. svm is "
		+ "exact (SMO, one-vs-one) up to 5000 training rows and beyond that an approximation (Nystroem, 1000 "
		+ "components, one-vs-rest linear SVM), recorded in the model's provenance.trainingDetails.svmApproximation.",
		example = """
				{"datasetId": "3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f", "target": "species",
				 "features": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
				 "algorithm": "logistic_regression",
				 "hyperparameters": {"optimizer": "lbfgs", "C": 1.0, "epochs": 500},
				 "crossValidation": {"folds": 5, "stratified": true},
				 "validationFraction": 0.1, "testFraction": 0.2, "seed": 42, "refit": true}
				""")
public record TrainingJobRequest(
		@Schema(description = "id of an uploaded dataset",
				requiredMode = Schema.RequiredMode.REQUIRED) String datasetId,
		@Schema(description = "column to predict; required for every task but clustering, which has none") String target,
		@Schema(description = "input columns; default: every other column") List<String> features,
		@Schema(description = "regression, classification or clustering (kmeans, without a target); inferred from "
				+ "the target and algorithm when absent",
				allowableValues = {
						"regression", "classification", "clustering" }) String task,
		@Schema(description = "model family", requiredMode = Schema.RequiredMode.REQUIRED) String algorithm,
		@Schema(description = "the algorithm's hyperparameters") Map<String, Object> hyperparameters,
		@Schema(description = "share of rows held out for early stopping and validation metrics, 0..0.5; default "
				+ "0.1 when early stopping watches it (gradient optimizers with earlyStoppingPatience > 0), else 0") Double validationFraction,
		@Schema(description = "share of rows held out for the test metrics, 0..0.5 (default 0.2)") Double testFraction,
		@Schema(description = "k-fold cross-validation on the non-test rows: per-fold metrics with mean and standard "
				+ "deviation are stored on the model, and the final model is trained on all non-test rows (then on "
				+ "all rows with refit)") CrossValidationRequest crossValidation,
		@Schema(description = "fixes the shuffle, the splits and the initial weights (default 42)") Long seed,
		@Schema(description = "default true: after the held-out rows are scored, the served model is trained again "
				+ "on every row with a target (train, validation and test splits) with the same hyperparameters and, "
				+ "when early stopping was in effect, exactly the epochs (boosting iterations) it chose; the test "
				+ "and validation metrics (and the threshold, residuals and permutation importance) stay those of "
				+ "the model trained without the held-out rows, and the model's metrics.refit section says so. "
				+ "false: the evaluated model is served (one fit fewer)") Boolean refit){

	/** Cross-validation settings as requested. */
	public record CrossValidationRequest(@Schema(description = "2..20, default 5") Integer folds,
			@Schema(description = "default true for classification") Boolean stratified) {
	}

}
