package io.fitserve.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How closely a compressed model's predictions follow its original's on the original's
 * test split (the rows training held out, split again from the dataset with the training
 * seed). Classification fills the label and probability fields, regression the value
 * fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "CompressionAgreement",
		description = "The compressed model's predictions against the original's on the original's test split")
record CompressionAgreement(@Schema(description = "test split rows compared") int rows,
		@Schema(description = "classification: share of rows with the same predicted label (the most probable "
				+ "class)") Double labelAgreement,
		@Schema(description = "classification: rows whose predicted label differs") Integer labelsDiffering,
		@Schema(description = "classification: largest absolute difference of a class probability") Double maxProbabilityDifference,
		@Schema(description = "classification: mean absolute difference of the class probabilities") Double meanProbabilityDifference,
		@Schema(description = "regression: largest absolute difference of the predicted values") Double maxAbsoluteDifference,
		@Schema(description = "regression: mean absolute difference of the predicted values") Double meanAbsoluteDifference,
		@Schema(description = "regression: R² of the compressed model's predictions against the original's (1 is "
				+ "identical; null when the original predicts one value for every row)") Double r2,
		@Schema(description = "the original's metrics on these rows, with the served model",
				implementation = ModelSchemas.SplitMetrics.class) Object originalMetrics,
		@Schema(description = "the compressed model's metrics on these rows",
				implementation = ModelSchemas.SplitMetrics.class) Object compressedMetrics) {
}
