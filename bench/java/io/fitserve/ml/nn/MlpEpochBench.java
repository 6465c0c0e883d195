package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.data.DenseRows;
import java.util.List;
import java.util.SplittableRandom;

/**
 * W4's fit alone, measured on demand (not a test): an MLP of one hidden layer of 64 relu
 * units, Adam, batches of 200, on ROWS x COLS generated rows (two classes from a noisy
 * linear rule plus a product term), EPOCHS epochs without validation. Prints the seconds
 * per epoch of each repeat and the final training loss. {@code -DblasThreads=N} sets
 * OpenBLAS's threads first (from another thread, as the service does from its preload
 * thread); without it ND4J's own choice stands (OMP_NUM_THREADS, else one per CPU).
 * {@code -Dwarmup=true} runs the service's {@link Warmup} first and prints its seconds.
 * <p>
 * {@code java -cp target/classes:target/test-classes:$(cat target/bench-classpath.txt)
 * io.fitserve.ml.nn.MlpEpochBench [ROWS] [COLS] [EPOCHS] [REPEATS]} after
 * {@code ./mvnw -B -q -Pbench -DskipTests test-compile}.
 */
public final class MlpEpochBench {

	private MlpEpochBench() {
	}

	public static void main(String[] args) {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
		int d = args.length > 1 ? Integer.parseInt(args[1]) : 50;
		int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
		int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 4;
		SplittableRandom random = new SplittableRandom(404);
		double[][] x = new double[n][d];
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			double s = 0;
			for (int j = 0; j < d; j++) {
				x[r][j] = random.nextGaussian();
				s += ((j % 3) - 1) * x[r][j] * 0.3;
			}
			s += x[r][0] * x[r][1] + random.nextGaussian();
			y[r] = s > 0 ? 1 : 0;
		}
		DenseRows rows = DenseRows.of(x);
		String blas = System.getProperty("blasThreads");
		if (blas != null) {
			Thread t = new Thread(() -> org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(Integer.parseInt(blas)));
			t.start();
			try {
				t.join();
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
			System.out.println("BLAS threads " + org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads());
		}
		if (Boolean.getBoolean("warmup")) {
			long t0 = System.nanoTime();
			Warmup.run();
			System.out.printf("warm-up %.3f s%n", (System.nanoTime() - t0) / 1e9);
		}
		TrainingConfig config = new TrainingConfig(Algorithm.MLP, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.001,
				epochs, 200, 0.0001, List.of(64), Activation.RELU, 0, 0.0, 1);
		for (int i = 0; i < repeats; i++) {
			long t0 = System.nanoTime();
			TrainingResult result = NetworkTrainer.train(config, rows, y, 2, DenseRows.empty(d), new double[0], null);
			double s = (System.nanoTime() - t0) / 1e9;
			System.out.printf("repeat %d: %.3f s per epoch, final training loss %s%n", i, s / epochs,
					result.history().get(result.history().size() - 1).trainLoss());
		}
	}

}
