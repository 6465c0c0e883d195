package io.fitserve.ml.nn;

import io.fitserve.bench.Timing;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.linalg.NativeMatrix;
import java.util.SplittableRandom;

/**
 * W2's sub-target, measured on demand (bench/gradient-pass.sh; not a test): one full
 * logistic-loss gradient pass over an n x d matrix, through {@link LinearObjective} (what
 * L-BFGS runs) and through the ND4J network pass it replaced. Prints the median wall time
 * of the repeats.
 */
public final class GradientPassBench {

	private GradientPassBench() {
	}

	public static void main(String[] args) {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
		int d = args.length > 1 ? Integer.parseInt(args[1]) : 50;
		int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 15;
		SplittableRandom random = new SplittableRandom(42);
		double[] x = new double[n * d];
		for (int i = 0; i < x.length; i++) {
			x[i] = random.nextGaussian();
		}
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			y[r] = random.nextBoolean() ? 1 : 0;
		}
		double[] theta = new double[d + 1];
		for (int i = 0; i < theta.length; i++) {
			theta[i] = 0.01 * random.nextGaussian();
		}
		double[] grad = new double[d + 1];
		LinearObjective objective = new LinearObjective(new DenseRows(x, n, d), y, n, d, 1, LossKind.BINARY_CROSS_ENTROPY, null, 1.0 / n);
		double[] java = Timing.time(3, repeats, () -> objective.dataLossAndGradient(theta, grad));
		TrainableNetwork net = new TrainableNetwork(new int[] { d, 1 }, Activation.RELU, LossKind.BINARY_CROSS_ENTROPY,
				1.0 / n, theta.clone());
		double[] nd4j;
		try (NativeMatrix.Owner owner = new NativeMatrix.Owner()) {
			NativeMatrix xn = owner.add(NativeMatrix.of(x, n, d));
			NativeMatrix yn = owner.add(NativeMatrix.of(y, n, 1));
			nd4j = Timing.time(3, repeats, () -> net.forwardBackward(xn, yn));
		}
		System.out.printf(
				"gradient pass %d x %d float64, median of %d: LinearObjective %.1f ms, ND4J network pass %.1f ms%n", n,
				d, repeats, Timing.median(java), Timing.median(nd4j));
	}

}
