package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import java.util.List;

/**
 * Fully resolved settings for the gradient and L-BFGS trainers; every default is filled
 * in.
 *
 * @param l1 L1 penalty on weights (linear models; with l2 this is the elastic net)
 * @param l2 L2 penalty on weights (not biases); the objective is mean(loss) + l1*|w| +
 * l2/2*|w|^2
 * @param hiddenLayers MLP hidden layer widths; empty for linear models
 * @param dropout MLP: probability of dropping a hidden unit during training, 0 = off
 * @param batchNorm MLP: batch normalization after each hidden layer's affine step (folded
 * into the weights after training, so inference is unchanged)
 * @param earlyStoppingPatience epochs without improvement of the monitored quantity
 * before stopping and restoring the best weights; 0 = off
 * @param minDelta smallest change of the monitored quantity that counts as an improvement
 * @param momentum coefficient for MOMENTUM and NESTEROV
 * @param svmLoss LINEAR_SVM only
 * @param classWeights per class index, multiplying each row's loss; null = all 1
 */
public record TrainingConfig(Algorithm algorithm, Task task, OptimizerKind optimizer, double learningRate, int epochs,
		int batchSize, double l1, double l2, List<Integer> hiddenLayers, Activation activation, double dropout,
		boolean batchNorm, int earlyStoppingPatience, double minDelta, Monitor monitor, LearningRateSchedule schedule,
		double momentum, SvmLoss svmLoss, double[] classWeights, long seed) {

	/**
	 * The settings of the first release: no l1, dropout, batch norm, schedule or class
	 * weights.
	 */
	public TrainingConfig(Algorithm algorithm, Task task, OptimizerKind optimizer, double learningRate, int epochs,
			int batchSize, double l2, List<Integer> hiddenLayers, Activation activation, int earlyStoppingPatience,
			double momentum, long seed) {
		this(algorithm, task, optimizer, learningRate, epochs, batchSize, 0.0, l2, hiddenLayers, activation, 0.0, false,
				earlyStoppingPatience, 0.0, Monitor.VALIDATION_LOSS, LearningRateSchedule.CONSTANT, momentum,
				SvmLoss.HINGE, null, seed);
	}

}
