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
public record Hyperparameters(OptimizerKind optimizer, double learningRate, int epochs, int batchSize, double l2,
		List<Integer> hiddenLayers, Activation activation, int earlyStoppingPatience, double momentum) {
}
