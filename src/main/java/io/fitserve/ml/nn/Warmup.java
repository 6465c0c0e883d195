package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.data.DenseRows;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Short training runs on generated rows that get the JIT compiler to compile the training
 * loops before the first job needs them. Without it the first MLP job of a process ran
 * its first epochs interpreted while the C2 compiler held the second core that its
 * two-part batches need (W4 alone on a fresh process: 0.32 s an epoch in the first job,
 * 0.14 s from the fourth). What it trains is thrown away.
 * <ul>
 * <li>An MLP of one hidden layer of 64 ReLU units with Adam, batches of 200 cut in two
 * parts ({@link SplitBatches}), a tail batch and validation rows: about 3,000 batches,
 * enough calls for the per-batch code to reach C2.</li>
 * <li>A logistic regression by L-BFGS, the default for linear models.</li>
 * </ul>
 */
public final class Warmup {

	static final int FEATURES = 16;

	static final int MLP_ROWS = 4_050;

	static final int MLP_EPOCHS = 150;

	static final int LINEAR_ROWS = 20_000;

	static final int LINEAR_ITERATIONS = 50;

	private static final AtomicBoolean started = new AtomicBoolean();

	private Warmup() {
	}

	/**
	 * {@link #run()} the first time it is called in this process (the compiled code is
	 * the process's); false, having done nothing, after that.
	 */
	public static boolean runOnce() {
		if (!started.compareAndSet(false, true)) {
			return false;
		}
		run();
		return true;
	}

	/**
	 * Runs both trainings on the calling thread; returns the MLP's result, then L-BFGS's.
	 */
	public static List<TrainingResult> run() {
		SplittableRandom random = new SplittableRandom(20261204);
		TrainingConfig mlp = new TrainingConfig(Algorithm.MLP, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.001,
				MLP_EPOCHS, 200, 0.0001, List.of(64), Activation.RELU, 0, 0.0, 1);
		TrainingResult network = train(mlp, MLP_ROWS, random);
		TrainingConfig linear = new TrainingConfig(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION,
				OptimizerKind.LBFGS, 0.01, LINEAR_ITERATIONS, 0, 0.0001, List.of(), Activation.RELU, 0, 0.0, 1);
		TrainingResult lbfgs = train(linear, LINEAR_ROWS, random);
		return List.of(network, lbfgs);
	}

	/** Two classes from a noisy linear rule; a fortieth of the rows validates. */
	private static TrainingResult train(TrainingConfig config, int rows, SplittableRandom random) {
		int validation = rows / 40;
		double[][] x = new double[rows][FEATURES];
		double[] y = new double[rows];
		for (int r = 0; r < rows; r++) {
			double s = random.nextGaussian();
			for (int j = 0; j < FEATURES; j++) {
				x[r][j] = random.nextGaussian();
				s += ((j % 3) - 1) * 0.5 * x[r][j];
			}
			y[r] = (s > 0) ? 1 : 0;
		}
		int training = rows - validation;
		double[][] xTrain = Arrays.copyOfRange(x, 0, training);
		double[][] xVal = Arrays.copyOfRange(x, training, rows);
		return NetworkTrainer.train(config, DenseRows.of(xTrain), Arrays.copyOfRange(y, 0, training), 2,
				DenseRows.of(xVal), Arrays.copyOfRange(y, training, rows), null);
	}

}
