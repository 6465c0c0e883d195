package io.fitserve.ml.linear;

import io.fitserve.bench.Timing;
import java.util.SplittableRandom;

/**
 * W3's solver, measured on demand (not a test): the exact ridge of n x d rows through
 * {@link LinearSolvers#ridge(int, int, LinearSolvers.ColumnBlocks, double[], double, int)},
 * the columns copied block by block from one array per column (as the job's encoder
 * writes them), on one thread and on every core. Prints the median wall times; numpy's
 * {@code np.linalg.solve(X.T @ X, X.T @ y)} on the same shape is W3's peer.
 * <p>
 * {@code java -cp target/classes:target/test-classes:$(cat target/bench-classpath.txt)
 * io.fitserve.ml.linear.NormalEquationsBench [ROWS] [COLS] [REPEATS]} after
 * {@code ./mvnw -B -q -Pbench -DskipTests test-compile} (bench/gradient-pass.sh writes
 * the class path file).
 */
public final class NormalEquationsBench {

	private NormalEquationsBench() {
	}

	public static void main(String[] args) {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
		int d = args.length > 1 ? Integer.parseInt(args[1]) : 20;
		int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 15;
		SplittableRandom random = new SplittableRandom(42);
		double[][] x = new double[d][n];
		double[] y = new double[n];
		for (int r = 0; r < n; r++) {
			for (int j = 0; j < d; j++) {
				double v = random.nextGaussian();
				x[j][r] = v;
				y[r] += (j + 1) * 0.1 * v;
			}
			y[r] += random.nextGaussian();
		}
		LinearSolvers.ColumnBlocks blocks = (from, to, out) -> {
			for (int j = 0; j < d; j++) {
				System.arraycopy(x[j], from, out[j], 0, to - from);
			}
		};
		double[] sink = new double[1];
		double[] one = Timing.time(3, repeats,
				() -> sink[0] += LinearSolvers.ridge(n, d, blocks, y, 0, 1).layers().get(0).weights()[0]);
		int threads = Runtime.getRuntime().availableProcessors();
		double[] all = Timing.time(3, repeats,
				() -> sink[0] += LinearSolvers.ridge(n, d, blocks, y, 0, threads).layers().get(0).weights()[0]);
		System.out.printf("normal equations %d x %d, median of %d: one thread %.1f ms, %d threads %.1f ms%n", n, d,
				repeats, Timing.median(one), threads, Timing.median(all));
	}

}
