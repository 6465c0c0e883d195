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
			@Schema(description = "only when the job asked for crossValidation") CrossValidationMetrics crossValidation) {
	}

	@Schema(name = "CrossValidationMetrics", description = "k-fold cross-validation on the non-test rows")
	record CrossValidationMetrics(List<FoldMetrics> folds, @Schema(
			description = "mean of each metric over the folds (metrics undefined in a fold are left out)") Map<String, Double> mean,
			@Schema(description = "population standard deviation of each metric over the folds") Map<String, Double> std,
			@Schema(description = "epochs the final model trained for (the folds' mean best epoch) with early "
					+ "stopping; null otherwise") Integer finalEpochs) {
	}

	@Schema(name = "FoldMetrics", description = "One fold: its sizes, its best epoch and its validation metrics")
	record FoldMetrics(@Schema(description = "1-based") int fold, int trainRows, int validationRows, int bestEpoch,
			@Schema(implementation = SplitMetrics.class) Object metrics) {
	}

	@Schema(name = "FeatureImportanceReport", description = "Which features a model relies on")
	record FeatureImportance(@Schema(
			description = "permutation importance; absent when the model has neither test nor validation rows") PermutationImportance permutation,
			@Schema(description = "linear models only: weights on standardized inputs, per class for multinomial models") List<Explanations.Coefficient> standardizedCoefficients) {
	}

	@Schema(name = "PermutationImportance",
			description = "Drop in score when each feature is shuffled, over seeded repeats, most important first")
	record PermutationImportance(@Schema(description = "test, or validation without a test split") String split,
			int rows, int repeats, @Schema(description = "accuracy (classifiers) or r2 (regressors)") String metric,
			List<Explanations.FeatureImportance> features) {
	}

}
