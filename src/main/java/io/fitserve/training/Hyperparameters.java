package io.fitserve.training;

import java.util.List;

import io.fitserve.training.algorithms.ScheduleSettings;
import io.fitserve.training.algorithms.linearregression.LinearRegressionAlgorithm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The OpenAPI description of the hyperparameters object, every name any algorithm takes;
 * each algorithm's own record is in {@code io.fitserve.training.algorithms}. Resolved
 * hyperparameters have every value that applies filled in, defaults included; values that
 * do not apply are absent. See the README's table for each default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Hyperparameters; each applies to some algorithms (400 names the ones that do not)")
public record Hyperparameters(
		@Schema(description = "gradient optimizer; lbfgs for linear models only", allowableValues = {
				"sgd", "momentum", "nesterov", "adam", "rmsprop", "adagrad", "lbfgs" },
				example = "adam") String optimizer,
		@Schema(description = "linear_regression: auto (normal_equation up to "
				+ LinearRegressionAlgorithm.MAX_EXACT_FEATURES + " encoded features), normal_equation, gradient",
				allowableValues = { "auto", "normal_equation", "gradient" }, example = "auto") String solver,
		@Schema(description = "step size of gradient optimizers", exclusiveMinimumValue = 0,
				maximum = "10") Double learningRate,
		@Schema(description = "passes over the training split (L-BFGS: maximum iterations)", minimum = "1",
				maximum = "100000") Integer epochs,
		@Schema(description = "rows per gradient step; >= rows means full batch", minimum = "1",
				maximum = "1000000") Integer batchSize,
		@Schema(description = "L1 penalty on weights (linear models; with l2 this is the elastic net)", minimum = "0",
				maximum = "1000") Double l1,
		@Schema(description = "L2 penalty on weights: objective mean(loss) + l1|w| + l2/2 |w|^2", minimum = "0",
				maximum = "1000") Double l2,
		@Schema(description = "inverse regularization as in scikit-learn (l2 = 1/(C n)); logistic_regression, "
				+ "linear_svm and svm; default 1", exclusiveMinimumValue = 0) Double C,
		@Schema(description = "mlp: hidden layer widths, 1..10 layers; the whole network may have at most "
				+ "fitserve.training.max-parameters weights and biases (5,000,000 by default)",
				example = "[64]") List<Integer> hiddenLayers,
		@Schema(description = "mlp", allowableValues = { "relu", "tanh", "sigmoid" }) String activation,
		@Schema(description = "mlp: dropout probability of hidden units during training", minimum = "0",
				maximum = "0.9") Double dropout,
		@Schema(description = "mlp: batch normalization after each hidden layer") Boolean batchNorm,
		@Schema(description = "epochs without improvement before stopping and restoring the best weights; 0 = off",
				minimum = "0", maximum = "100000") Integer earlyStoppingPatience,
		@Schema(description = "what early stopping watches on the validation split",
				allowableValues = { "validation_loss", "accuracy", "f1", "roc_auc", "r2",
						"mae" }) String earlyStoppingMonitor,
		@Schema(description = "smallest change that counts as an improvement",
				minimum = "0") Double earlyStoppingMinDelta,
		@Schema(description = "learning-rate schedule") ScheduleSettings schedule,
		@Schema(description = "coefficient of momentum and nesterov", minimum = "0", maximum = "0.999") Double momentum,
		@Schema(description = "linear_svm", allowableValues = { "hinge", "squared_hinge" }) String loss,
		@Schema(description = "classification: \"balanced\" or a map label -> weight") Object classWeights,
		@Schema(description = "svm", allowableValues = { "linear", "rbf", "poly" }) String kernel,
		@Schema(description = "svm (rbf, poly): \"scale\" (1/(features * variance)), \"auto\" (1/features) or a "
				+ "positive number") Object gamma,
		@Schema(description = "svm poly: degree", minimum = "1", maximum = "10") Integer degree,
		@Schema(description = "svm poly: independent term") Double coef0,
		@Schema(description = "svm: calibrate probabilities with Platt scaling (default false, as scikit-learn's SVC: "
				+ "labels then follow the decision function and probabilities are an uncalibrated squashing of it)") Boolean probabilities){

}
