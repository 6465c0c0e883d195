package io.fitserve.ml;

import java.util.List;

/**
 * Fully resolved training settings; every default is already filled in.
 *
 * @param hiddenLayers MLP hidden layer widths; empty for linear models
 * @param earlyStoppingPatience epochs without validation improvement before stopping; 0 = off
 * @param momentum momentum coefficient for {@link OptimizerKind#MOMENTUM}
 */
public record TrainingConfig(Algorithm algorithm, Task task, OptimizerKind optimizer, double learningRate, int epochs,
		int batchSize, double l2, List<Integer> hiddenLayers, Activation activation, int earlyStoppingPatience,
		double momentum, long seed) {
}
