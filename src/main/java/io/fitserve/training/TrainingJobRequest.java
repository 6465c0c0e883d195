package io.fitserve.training;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/** A request to train a model; only datasetId, target and algorithm are required. */
@Schema(example = """
		{"datasetId": "3f2b8c1e-6a59-4f43-9d0e-1c2b3a4d5e6f", "target": "species",
		 "features": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
		 "algorithm": "logistic_regression",
		 "hyperparameters": {"optimizer": "adam", "learningRate": 0.01, "epochs": 200, "batchSize": 64,
		   "l2": 0.0001, "earlyStoppingPatience": 10},
		 "validationFraction": 0.1, "testFraction": 0.2, "seed": 42}
		""")
public record TrainingJobRequest(
		@Schema(description = "id of an uploaded dataset", requiredMode = Schema.RequiredMode.REQUIRED) String datasetId,
		@Schema(description = "column to predict", requiredMode = Schema.RequiredMode.REQUIRED) String target,
		@Schema(description = "input columns; default: every other column") List<String> features,
		@Schema(description = "regression or classification; inferred from the target and algorithm when absent",
				allowableValues = { "regression", "classification" }) String task,
		@Schema(description = "model family", requiredMode = Schema.RequiredMode.REQUIRED,
				allowableValues = { "linear_regression", "logistic_regression", "linear_svm", "mlp" }) String algorithm,
		@Schema(description = "optimizer (sgd, momentum, adam), learningRate, epochs, batchSize, l2, hiddenLayers, "
				+ "activation (relu, tanh, sigmoid), earlyStoppingPatience, momentum; each has a default",
				implementation = Hyperparameters.class) Map<String, Object> hyperparameters,
		@Schema(description = "share of rows held out for early stopping, 0..0.5 (default 0.1)") Double validationFraction,
		@Schema(description = "share of rows held out for the test metrics, 0..0.5 (default 0.2)") Double testFraction,
		@Schema(description = "fixes the shuffle, the splits and the initial weights (default 42)") Long seed) {
}
