package io.fitserve.training;

import java.util.List;

import io.fitserve.ml.Activation;
import io.fitserve.ml.OptimizerKind;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Resolved hyperparameters: every value filled in, defaults included.
 *
 * @param optimizer sgd (mini-batch; batchSize >= rows is full-batch gradient descent), momentum or
 * adam
 * @param learningRate step size, in (0, 10]
 * @param epochs passes over the training split, 1..100000
 * @param batchSize rows per gradient step, 1..1000000
 * @param l2 L2 penalty on weights (not biases), 0..1000
 * @param hiddenLayers mlp only: widths of the hidden layers (1..10 layers of 1..4096 units)
 * @param activation mlp only: relu, tanh or sigmoid
 * @param earlyStoppingPatience epochs without validation-loss improvement before stopping and
 * restoring the best weights; 0 turns early stopping off
 * @param momentum momentum optimizer's coefficient, in [0, 1)
 */
@Schema(description = "Hyperparameters with every default filled in")
public record Hyperparameters(
		@Schema(description = "sgd (mini-batch; batchSize >= rows is full-batch gradient descent), momentum or adam",
				defaultValue = "adam") OptimizerKind optimizer,
		@Schema(description = "step size; default 0.01", exclusiveMinimumValue = 0,
				maximum = "10") double learningRate,
		@Schema(description = "passes over the training split", minimum = "1", maximum = "100000",
				defaultValue = "200") int epochs,
		@Schema(description = "rows per gradient step", minimum = "1", maximum = "1000000",
				defaultValue = "64") int batchSize,
		@Schema(description = "L2 penalty on weights; default 0 for linear_regression, 0.0001 otherwise",
				minimum = "0", maximum = "1000") double l2,
		@Schema(description = "mlp only: hidden layer widths, 1..10 layers of 1..4096 units",
				defaultValue = "[64]") List<Integer> hiddenLayers,
		@Schema(description = "mlp only", defaultValue = "relu") Activation activation,
		@Schema(description = "epochs without validation-loss improvement before stopping (best weights restored); "
				+ "0 = off", minimum = "0", maximum = "100000", defaultValue = "10") int earlyStoppingPatience,
		@Schema(description = "coefficient of the momentum optimizer", minimum = "0", maximum = "0.999",
				defaultValue = "0.9") double momentum) {
}
