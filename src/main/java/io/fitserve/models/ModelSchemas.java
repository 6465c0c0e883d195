package io.fitserve.models;

import io.fitserve.ml.eval.ClassificationMetrics;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.eval.RegressionMetrics;
import io.fitserve.ml.explain.Explanations;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shapes of what a model stores as JSON maps (metrics, feature importance), for the
 * OpenAPI document only: the responses carry the stored maps as they are, so that a model
 * trained by an older version reads back unchanged. OpenApiContractTest holds these to
 * what training really writes.
 */
final class ModelSchemas {

	private ModelSchemas() {
	}

	@Schema(name = "SplitMetrics",
			description = "Scores on some rows: ClassificationMetrics for a classifier, "
					+ "RegressionMetrics for a regressor",
			oneOf = { ClassificationMetrics.class, RegressionMetrics.class })
	interface SplitMetrics {

	}

	@Schema(name = "ModelMetrics",
			description = "A model's scores on its splits: the test split, and either the "
					+ "validation split or, with crossValidation, every fold. Classification models have "
					+ "ClassificationMetrics, regression models RegressionMetrics.")
	record Metrics(
			@Schema(description = "on the test split; null when testFraction is 0",
					implementation = SplitMetrics.class) Object test,
			@Schema(description = "on the validation split (not with cross-validation); null without validation rows",
					implementation = SplitMetrics.class) Object validation,
			@Schema(description = "only when the job asked for crossValidation") CrossValidationMetrics crossValidation,
			@Schema(description = "only when the served model was refit on rows the metrics held out") RefitMetrics refit) {
	}

	@Schema(name = "RefitMetrics", description = "With refit: the test and validation metrics (and the threshold, "
			+ "residuals and permutation importance) were measured on a model trained without those rows; the served "
			+ "model was then retrained on all rows with the same hyperparameters")
	record RefitMetrics(@Schema(description = "rows that trained the served model") int servedModelRows,
			@Schema(description = "e.g. \"all rows: train, validation and test splits\"") String servedModelTrainedOn,
			@Schema(description = "rows that trained the evaluated model") int evaluatedModelRows,
			@Schema(description = "\"train split\", or \"train and validation splits (after cross-validation)\"") String evaluatedModelTrainedOn,
			@Schema(description = "epochs (boosting iterations) the refit trained: the count early stopping chose "
					+ "(the folds' mean with cross-validation); null when the hyperparameters decided") Integer refitEpochs,
			@Schema(description = "the above in a sentence") String note) {
	}

	@Schema(name = "CrossValidationMetrics", description = "k-fold cross-validation on the non-test rows")
	record CrossValidationMetrics(List<FoldMetrics> folds, @Schema(
			description = "mean of each metric over the folds (metrics undefined in a fold are left out)") Map<String, Double> mean,
			@Schema(description = "population standard deviation of each metric over the folds") Map<String, Double> std,
			@Schema(description = "epochs (boosting iterations) the final model trained for (the folds' mean best "
					+ "epoch) when early stopping may choose them; null otherwise") Integer finalEpochs) {
	}

	@Schema(name = "FoldMetrics", description = "One fold: its sizes, its best epoch and its validation metrics")
	record FoldMetrics(@Schema(description = "1-based") int fold, int trainRows, int validationRows, int bestEpoch,
			@Schema(implementation = SplitMetrics.class) Object metrics) {
	}

	@Schema(name = "FeatureImportanceReport", description = "Which features a model relies on")
	record FeatureImportance(@Schema(
			description = "permutation importance; absent when the model has neither test nor validation rows") PermutationImportance permutation,
			@Schema(description = "linear models only: weights on standardized inputs, per class for multinomial models") List<Explanations.Coefficient> standardizedCoefficients,
			@Schema(description = "pending while the permutation importance is computed after the model was stored "
					+ "(poll), ready, or failed",
					allowableValues = {
							"pending", "ready", "failed" }) String status,
			@Schema(description = "failed only: why the permutation importance could not be computed") String error){
	}

	@Schema(name = "PermutationImportance",
			description = "Drop in score when each feature is shuffled, over seeded repeats, most important first")
	record PermutationImportance(@Schema(description = "test, or validation without a test split") String split,
			int rows, int repeats, @Schema(description = "accuracy (classifiers) or r2 (regressors)") String metric,
			List<Explanations.FeatureImportance> features) {
	}

}
