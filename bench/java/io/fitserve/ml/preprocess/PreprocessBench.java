package io.fitserve.ml.preprocess;

import io.fitserve.bench.Timing;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.data.DenseRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * W2's preparation, measured on demand (not a test): fitting the standardization of n x d
 * numeric columns on a shuffled 98% of the rows, and encoding those rows row-major for
 * the trainer. Prints the median wall time of the repeats.
 * <p>
 * {@code java -cp target/classes:target/test-classes:$(cat target/bench-classpath.txt)
 * io.fitserve.ml.preprocess.PreprocessBench [ROWS] [COLS] [REPEATS]} after
 * {@code ./mvnw -B -q -Pbench -DskipTests test-compile}.
 */
public final class PreprocessBench {

	private PreprocessBench() {
	}

	public static void main(String[] args) {
		int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
		int d = args.length > 1 ? Integer.parseInt(args[1]) : 50;
		int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 15;
		SplittableRandom random = new SplittableRandom(42);
		List<ColumnData> columns = new ArrayList<>(d);
		for (int j = 0; j < d; j++) {
			double[] v = new double[n];
			for (int r = 0; r < n; r++) {
				v[r] = random.nextGaussian() * (j + 1) + j;
			}
			columns.add(new ColumnData("x" + j, ColumnType.NUMERIC, v, null, null));
		}
		int[] all = new int[n];
		for (int i = 0; i < n; i++) {
			all[i] = i;
		}
		for (int i = n - 1; i > 0; i--) {
			int k = random.nextInt(i + 1);
			int t = all[i];
			all[i] = all[k];
			all[k] = t;
		}
		int[] train = Arrays.copyOf(all, n - n / 50);
		Preprocessing[] fitted = new Preprocessing[1];
		double[] fit = Timing.time(5, repeats, () -> fitted[0] = Preprocessing.fit(columns, train));
		double[] sink = new double[1];
		double[] encode = Timing.time(5, repeats, () -> {
			DenseRows rows = fitted[0].transformRows(columns, train);
			sink[0] += rows.arrayOf(0)[0];
		});
		// in list order a block at a time, as the exact linear regression reads its rows
		// (storage order, as the trainer lists them)
		double[] block = new double[4096 * d];
		int[] sorted = train.clone();
		Arrays.sort(sorted);
		double[] blocks = Timing.time(5, repeats, () -> {
			Preprocessing.Encoder encoder = fitted[0].encoder(columns);
			for (int from = 0; from < sorted.length; from += 4096) {
				encoder.encode(sorted, from, Math.min(sorted.length, from + 4096), block);
				sink[0] += block[0];
			}
		});
		double[] allocate = Timing.time(5, repeats, () -> sink[0] += DenseRows.allocate(train.length, d).arrayOf(0)[0]);
		System.out.printf(
				"preprocess %d x %d, %d training rows, median of %d: fit %.1f ms, encode %.1f ms (allocating the "
						+ "rows alone %.1f ms); in list order, blocks of 4,096 rows %.1f ms%n",
				n, d, train.length, repeats, Timing.median(fit), Timing.median(encode), Timing.median(allocate), Timing.median(blocks));
	}

}
