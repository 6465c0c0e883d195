package io.fitserve.ml.kernel;

import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains kernel SVM classifiers: exact SMO on the kernel matrix up to
 * {@link KernelSvmConfig#maxExactRows()} rows, beyond that a Nystroem feature map with a
 * linear SVM. Binary problems train one machine (positive = class 1). Multi-class
 * problems train, on the exact path, one machine per class pair on those two classes'
 * rows only (one-vs-one, as libsvm and scikit-learn's SVC; {@link KernelModel#OVO}), on
 * the Nystroem path one machine per class against the rest ({@link KernelModel#OVR}).
 * Class weights scale each row's cost, {@code C_i = C * weight(y_i)}, as libsvm. With
 * {@code probabilities} each machine gets Platt scaling fitted on decision values of rows
 * the fitting model did not see (5-fold cross-validation up to
 * {@link #CROSS_VALIDATION_MAX_ROWS} rows, one 20% hold-out beyond: an extra ~0.8x
 * training per machine instead of 4x); a pairwise machine uses the folds of its own rows.
 */
public final class KernelSvmTrainer {

	/**
	 * Up to this many rows Platt scaling uses 5-fold cross-validated decision values,
	 * beyond a 20% hold-out.
	 */
	public static final int CROSS_VALIDATION_MAX_ROWS = 2000;

	private static final int CALIBRATION_FOLDS = 5;

	/**
	 * Rows of the Nystroem feature map computed per gemm, bounding the temporary kernel
	 * block.
	 */
	private static final int FEATURE_BLOCK_ROWS = 4096;

	private KernelSvmTrainer() {
	}

	/**
	 * Trains a classifier.
	 * @param y class index of each row, in [0, numClasses)
	 * @param listener may be null; {@code cancelled()} is polled during the solve and
	 * {@code onEpoch} is called once per machine trained (epoch = machine number,
	 * trainLoss = its mean class-weighted hinge loss); cancelling either way throws
	 * {@link CancellationException}
	 */
	public static KernelModel train(KernelSvmConfig config, double[][] x, int[] y, int numClasses,
			TrainingListener listener) {
		Objects.requireNonNull(config, "config");
		Objects.requireNonNull(x, "x");
		Objects.requireNonNull(y, "y");
		int n = x.length;
		if (numClasses < 2) {
			throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
		}
		if (n < 2) {
			throw new IllegalArgumentException("need at least 2 training rows, got " + n);
		}
		if (y.length != n) {
			throw new IllegalArgumentException("x has " + n + " rows but y has " + y.length);
		}
		if (config.classWeights() != null && config.classWeights().length != numClasses) {
			throw new IllegalArgumentException(
					"classWeights has " + config.classWeights().length + " values for " + numClasses + " classes");
		}
		int d = (x[0] != null) ? x[0].length : 0;
		if (d == 0) {
			throw new IllegalArgumentException("no features");
		}
		for (int r = 0; r < n; r++) {
			if (x[r] == null || x[r].length != d) {
				throw new IllegalArgumentException("row " + r + " does not have " + d + " values");
			}
			if (y[r] < 0 || y[r] >= numClasses) {
				throw new IllegalArgumentException(
						"class " + y[r] + " of row " + r + " is not in [0, " + numClasses + ")");
			}
		}
		KernelFunction function = new KernelFunction(config.kernel(), resolveGamma(config.gamma(), x), config.degree(),
				config.coef0());
		double[] weights = new double[n];
		double[] cost = new double[n];
		for (int r = 0; r < n; r++) {
			weights[r] = (config.classWeights() != null) ? config.classWeights()[y[r]] : 1.0;
			cost[r] = config.c() * weights[r];
		}
		boolean exact = n <= config.maxExactRows();
		String strategy = (exact && numClasses > 2) ? KernelModel.OVO : KernelModel.OVR;
		int machines = KernelModel.machines(numClasses, strategy);
		boolean[][] positive = new boolean[machines][n];
		int[][] rows = new int[machines][];
		if (KernelModel.OVO.equals(strategy)) {
			int[][] pairs = KernelModel.pairs(numClasses);
			for (int m = 0; m < machines; m++) {
				int first = pairs[m][0];
				int second = pairs[m][1];
				int count = 0;
				for (int r = 0; r < n; r++) {
					count += (y[r] == first || y[r] == second) ? 1 : 0;
				}
				rows[m] = new int[count];
				int k = 0;
				for (int r = 0; r < n; r++) {
					if (y[r] == first || y[r] == second) {
						rows[m][k++] = r;
						positive[m][r] = y[r] == first;
					}
				}
			}
		}
		else {
			int[] all = allRows(n);
			for (int m = 0; m < machines; m++) {
				int target = (machines == 1) ? 1 : m;
				rows[m] = all;
				for (int r = 0; r < n; r++) {
					positive[m][r] = y[r] == target;
				}
			}
		}
		Run run = new Run(config, listener, machines, calibrationFolds(config, n), strategy);
		if (exact) {
			return exact(run, function, x, rows, positive, cost, weights, numClasses);
		}
		return nystroem(run, function, x, positive, cost, weights, numClasses);
	}

	/**
	 * scikit-learn's gamma='scale': 1 / (features * variance of all values), 1 when the
	 * variance is 0.
	 */
	static double resolveGamma(double gamma, double[][] x) {
		if (gamma > 0) {
			return gamma;
		}
		double sum = 0;
		long count = 0;
		for (double[] row : x) {
			for (double v : row) {
				sum += v;
				count++;
			}
		}
		double mean = sum / count;
		double squares = 0;
		for (double[] row : x) {
			for (double v : row) {
				squares += (v - mean) * (v - mean);
			}
		}
		double variance = squares / count;
		return (variance > 0) ? 1.0 / (x[0].length * variance) : 1.0;
	}

	/**
	 * What one training run shares between machines: settings, listener, calibration fold
	 * per row (-1: never held out; null without calibration) and the multi-class
	 * strategy.
	 */
	private record Run(KernelSvmConfig config, TrainingListener listener, int machines, int[] folds, String strategy) {

		BooleanSupplier cancelled() {
			return (this.listener == null) ? () -> false : this.listener::cancelled;
		}

		void machineDone(int machine, double hingeLoss) {
			if (this.listener != null
					&& !this.listener.onEpoch(new EpochLoss(machine + 1, hingeLoss, Double.NaN), this.machines)) {
				throw new CancellationException("training cancelled");
			}
		}

	}

	private static int[] calibrationFolds(KernelSvmConfig config, int n) {
		if (!config.probabilities()) {
			return null;
		}
		int[] order = new int[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		SplittableRandom random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
		for (int i = n - 1; i > 0; i--) {
			int k = random.nextInt(i + 1);
			int tmp = order[i];
			order[i] = order[k];
			order[k] = tmp;
		}
		boolean crossValidate = n <= CROSS_VALIDATION_MAX_ROWS;
		int[] folds = new int[n];
		for (int p = 0; p < n; p++) {
			int fold = p % CALIBRATION_FOLDS;
			// hold-out: only fold 0 is ever held out, the other rows always train
			folds[order[p]] = (crossValidate || fold == 0) ? fold : -1;
		}
		return folds;
	}

	/**
	 * Trains one machine on the given rows and returns its decision values on the given
	 * held-out rows.
	 */
	private interface HeldOutDecisions {

		double[] decisions(int[] trainRows, int[] heldOutRows);

	}

	/**
	 * Platt {A, B} from held-out decision values of the machine's rows, or the
	 * uncalibrated {-1, 0}.
	 */
	private static double[] calibrate(Run run, int[] rows, boolean[] positive, HeldOutDecisions machine) {
		int[] folds = run.folds();
		if (folds == null) {
			return new double[] { -1.0, 0.0 };
		}
		int n = rows.length;
		double[] decision = new double[n];
		boolean[] labels = new boolean[n];
		int collected = 0;
		for (int f = 0; f < CALIBRATION_FOLDS; f++) {
			int[] heldOut = rowsWhere(rows, folds, f, true);
			if (heldOut.length == 0) {
				continue;
			}
			int[] train = rowsWhere(rows, folds, f, false);
			double[] values = machine.decisions(train, heldOut);
			for (int k = 0; k < heldOut.length; k++) {
				decision[collected] = values[k];
				labels[collected] = positive[heldOut[k]];
				collected++;
			}
		}
		return Platt.fit(Arrays.copyOf(decision, collected), Arrays.copyOf(labels, collected));
	}

	/**
	 * The given rows whose fold is (inFold) or is not (!inFold) the given fold, in order.
	 */
	private static int[] rowsWhere(int[] rows, int[] folds, int fold, boolean inFold) {
		int count = 0;
		for (int r : rows) {
			if ((folds[r] == fold) == inFold) {
				count++;
			}
		}
		int[] selected = new int[count];
		int k = 0;
		for (int r : rows) {
			if ((folds[r] == fold) == inFold) {
				selected[k++] = r;
			}
		}
		return selected;
	}

	private static int[] allRows(int n) {
		int[] rows = new int[n];
		for (int i = 0; i < n; i++) {
			rows[i] = i;
		}
		return rows;
	}

	/**
	 * Exact SMO: machine m trains on rows[m] (all rows one-vs-rest, the pair's rows
	 * one-vs-one).
	 */
	private static KernelModel exact(Run run, KernelFunction function, double[][] x, int[][] rows, boolean[][] positive,
			double[] cost, double[] weights, int numClasses) {
		int n = x.length;
		int machines = run.machines();
		KernelRows kernel = new KernelRows(function, x, KernelRows.DEFAULT_BUDGET_BYTES);
		BooleanSupplier cancelled = run.cancelled();
		double[][] platt = new double[machines][];
		// coefficient of every training row (0 outside the machine's rows)
		double[][] solutionCoefficients = new double[machines][];
		double[] rho = new double[machines];
		for (int m = 0; m < machines; m++) {
			boolean[] labels = positive[m];
			platt[m] = calibrate(run, rows[m], labels, (train, heldOut) -> {
				KernelSvmSmo.Solution s = KernelSvmSmo.solve(kernel, train, labels, cost, weights, cancelled);
				double[] values = new double[heldOut.length];
				for (int k = 0; k < heldOut.length; k++) {
					float[] row = kernel.row(heldOut[k]);
					double f = -s.rho();
					for (int t = 0; t < train.length; t++) {
						f += s.coefficients()[t] * row[train[t]];
					}
					values[k] = f;
				}
				return values;
			});
			KernelSvmSmo.Solution s = KernelSvmSmo.solve(kernel, rows[m], labels, cost, weights, cancelled);
			solutionCoefficients[m] = new double[n];
			for (int t = 0; t < rows[m].length; t++) {
				solutionCoefficients[m][rows[m][t]] = s.coefficients()[t];
			}
			rho[m] = s.rho();
			run.machineDone(m, s.hingeLoss());
		}
		// keep each row that is a support vector of any machine, once
		List<Integer> support = new ArrayList<>();
		for (int r = 0; r < n; r++) {
			for (double[] c : solutionCoefficients) {
				if (c[r] != 0) {
					support.add(r);
					break;
				}
			}
		}
		double[][] vectors = new double[support.size()][];
		double[][] coefficients = new double[machines][support.size()];
		for (int v = 0; v < vectors.length; v++) {
			int r = support.get(v);
			vectors[v] = x[r].clone();
			for (int m = 0; m < machines; m++) {
				coefficients[m][v] = solutionCoefficients[m][r];
			}
		}
		double[] bias = new double[machines];
		for (int m = 0; m < machines; m++) {
			bias[m] = -rho[m];
		}
		return model(run, function, KernelModel.EXACT, x[0].length, vectors, coefficients, bias, platt, numClasses);
	}

	private static KernelModel nystroem(Run run, KernelFunction function, double[][] x, boolean[][] positive,
			double[] cost, double[] weights, int numClasses) {
		int n = x.length;
		int machines = run.machines();
		double[][] landmarks = landmarks(x, Math.min(run.config().approximationComponents(), n), run.config().seed());
		INDArray normalization = nystroemNormalization(function.matrix(landmarks, landmarks));
		double[][] z = new double[n][];
		for (int start = 0; start < n; start += FEATURE_BLOCK_ROWS) {
			int end = Math.min(n, start + FEATURE_BLOCK_ROWS);
			INDArray block = Nd4j.createFromArray(function.matrix(Arrays.copyOfRange(x, start, end), landmarks));
			double[][] features = KernelFunction.rows(block.mmul(normalization));
			block.close();
			System.arraycopy(features, 0, z, start, end - start);
			if (run.cancelled().getAsBoolean()) {
				throw new CancellationException("training cancelled");
			}
		}
		BooleanSupplier cancelled = run.cancelled();
		double[][] platt = new double[machines][];
		double[][] coefficients = new double[machines][];
		double[] bias = new double[machines];
		long seed = run.config().seed();
		for (int m = 0; m < machines; m++) {
			boolean[] labels = positive[m];
			long machineSeed = seed + m;
			platt[m] = calibrate(run, allRows(n), labels, (train, heldOut) -> {
				KernelSvmLinear.Solution s = KernelSvmLinear.solve(z, train, labels, cost, weights, machineSeed,
						cancelled);
				double[] values = new double[heldOut.length];
				for (int k = 0; k < heldOut.length; k++) {
					values[k] = KernelFunction.dot(s.w(), z[heldOut[k]]) + s.b();
				}
				return values;
			});
			KernelSvmLinear.Solution s = KernelSvmLinear.solve(z, allRows(n), labels, cost, weights, machineSeed,
					cancelled);
			// f(x) = K(x, L) N w + b: fold N into per-landmark coefficients
			coefficients[m] = normalization.mmul(Nd4j.createFromArray(s.w()).reshape(s.w().length, 1)).toDoubleVector();
			bias[m] = s.b();
			run.machineDone(m, s.hingeLoss());
		}
		normalization.close();
		return model(run, function, KernelModel.NYSTROEM, x[0].length, landmarks, coefficients, bias, platt,
				numClasses);
	}

	/**
	 * Distinct training rows chosen uniformly without replacement (seeded), in their
	 * original order.
	 */
	private static double[][] landmarks(double[][] x, int count, long seed) {
		int n = x.length;
		int[] order = allRows(n);
		SplittableRandom random = new SplittableRandom(seed);
		for (int i = 0; i < count; i++) {
			int k = i + random.nextInt(n - i);
			int tmp = order[i];
			order[i] = order[k];
			order[k] = tmp;
		}
		int[] chosen = Arrays.copyOf(order, count);
		Arrays.sort(chosen);
		double[][] landmarks = new double[count][];
		for (int i = 0; i < count; i++) {
			landmarks[i] = x[chosen[i]].clone();
		}
		return landmarks;
	}

	/**
	 * {@code K_LL^(-1/2)} (symmetric) by eigendecomposition. Unlike scikit-learn, which
	 * clips eigenvalues at 1e-12 and so scales rounding noise by up to 1e6, directions
	 * with eigenvalues below 1e-10 of the largest are dropped (a pseudo-inverse square
	 * root): duplicate landmarks then cost nothing.
	 */
	static INDArray nystroemNormalization(double[][] kernel) {
		int m = kernel.length;
		INDArray vectors = Nd4j.createFromArray(kernel).dup('f');
		INDArray values = Nd4j.create(DataType.DOUBLE, m);
		int info = Nd4j.getBlasWrapper().lapack().syev('V', 'U', vectors, values);
		if (info != 0) {
			throw new IllegalStateException(
					"eigendecomposition of the landmark kernel failed (LAPACK info " + info + ")");
		}
		double[] lambda = values.toDoubleVector();
		double max = 0;
		for (double v : lambda) {
			max = Math.max(max, v);
		}
		double[][] u = KernelFunction.rows(vectors);
		double[][] scaled = new double[m][m];
		for (int k = 0; k < m; k++) {
			double s = (lambda[k] > max * 1e-10) ? 1.0 / Math.sqrt(lambda[k]) : 0.0;
			for (int i = 0; i < m; i++) {
				scaled[i][k] = u[i][k] * s;
			}
		}
		INDArray left = Nd4j.createFromArray(scaled);
		INDArray result = left.mmul(Nd4j.createFromArray(u).transpose());
		left.close();
		vectors.close();
		return result;
	}

	private static KernelModel model(Run run, KernelFunction function, String approximation, int features,
			double[][] vectors, double[][] coefficients, double[] bias, double[][] platt, int numClasses) {
		int machines = bias.length;
		double[] a = new double[machines];
		double[] b = new double[machines];
		for (int m = 0; m < machines; m++) {
			a[m] = platt[m][0];
			b[m] = platt[m][1];
		}
		return new KernelModel(function.kernel(), function.gamma(), function.degree(), function.coef0(), approximation,
				features, vectors, coefficients, bias, a, b, run.folds() != null, numClasses, run.strategy());
	}

}
