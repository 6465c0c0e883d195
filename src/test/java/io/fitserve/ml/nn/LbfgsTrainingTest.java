package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * L-BFGS / OWL-QN on the linear models, against exact optima computed another way and
 * scikit-learn 1.2.1.
 */
class LbfgsTrainingTest {

	private static final double[][] NO_ROWS = new double[0][];

	private static final double[] NO_TARGETS = new double[0];

	/*
	 * Reference data and numbers from scikit-learn 1.2.1 (raw features, not
	 * standardized):
	 *
	 * import numpy as np from sklearn.linear_model import LogisticRegression, Lasso from
	 * sklearn.svm import LinearSVC rng = np.random.RandomState(7); n = 30 X =
	 * np.column_stack([rng.normal(0, 1, n), rng.normal(5, 3, n), rng.uniform(-2, 2,
	 * n)]).round(2) logit = 1.5 * X[:, 0] - 0.4 * (X[:, 1] - 5) + 0.3 * X[:, 2] + 0.2 y =
	 * (logit + rng.logistic(size=n) > 0).astype(int) LogisticRegression(C=1.0, tol=1e-12,
	 * max_iter=100000).fit(X, y) # -> LOGISTIC_COEF, LOGISTIC_INTERCEPT y3 =
	 * np.where(X[:, 0] > 0.5, 2, np.where(X[:, 1] > 5, 1, 0)) flip = rng.rand(n) < 0.2;
	 * y3 = np.where(flip, (y3 + 1) % 3, y3) LogisticRegression(C=1.0, tol=1e-12,
	 * max_iter=100000).fit(X, y3) # multinomial -> SOFTMAX_* LinearSVC(C=1.0,
	 * loss="squared_hinge", tol=1e-15, max_iter=10**8, intercept_scaling=1000.0).fit(X,
	 * y) rng = np.random.RandomState(11); m = 40 Z = rng.normal(0, 1, (m, 5)).round(2) t
	 * = (2 * Z[:, 0] - 1 * Z[:, 1] + 0.5 + 0.3 * rng.normal(size=m)).round(3)
	 * Lasso(alpha=0.1, tol=1e-14, max_iter=10**7).fit(Z, t) # -> LASSO_*
	 */
	static final double[][] X = { { 1.69, 2.77, 1.37 }, { -0.47, 8.22, -1.48 }, { 0.03, 0.05, -0.77 },
			{ 0.41, 6.61, -0.15 }, { -0.79, -1.19, 0.97 }, { 0.0, 3.01, -0.06 }, { -0.0, 1.39, -1.45 },
			{ -1.75, 9.39, -0.63 }, { 1.02, 10.3, -0.7 }, { 0.6, 4.01, -0.8 }, { -0.63, 7.52, -1.34 },
			{ -0.17, 4.46, -0.34 }, { 0.51, 6.7, -0.21 }, { -0.26, 2.74, 1.1 }, { -0.24, -0.13, 1.19 },
			{ -1.45, -0.41, 0.09 }, { 0.55, 6.15, -0.16 }, { 0.12, 11.74, 1.11 }, { 0.27, 5.81, 1.55 },
			{ -1.53, 3.43, 0.7 }, { 1.65, 10.74, 1.2 }, { 0.15, 5.71, 1.76 }, { -0.39, 5.3, -1.84 },
			{ 2.03, 5.76, 1.5 }, { -0.05, 4.6, -0.89 }, { -1.45, 4.07, -0.1 }, { -0.41, 0.7, 1.19 },
			{ -2.29, 6.5, 0.87 }, { 1.05, 4.72, -1.41 }, { -0.42, 8.58, 0.63 } };

	static final double[] Y = { 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1,
			0 };

	static final double[] Y3 = { 0, 1, 0, 2, 0, 0, 0, 2, 2, 2, 1, 1, 0, 0, 0, 1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 0, 0, 1, 2,
			1 };

	static final double[] LOGISTIC_COEF = { 1.4430667157265014, -0.9028490809599218, 0.4871789390100602 };

	static final double LOGISTIC_INTERCEPT = 4.766745142131568;

	static final double[][] SOFTMAX_COEF = { { 0.33287402006934946, -0.25860029269336243, 0.23864044986117394 },
			{ -0.8187137588740615, 0.1283258034911662, -0.04161156663105735 },
			{ 0.48583973880471204, 0.13027448920219686, -0.19702888323011641 } };

	static final double[] SOFTMAX_INTERCEPT = { 1.4796476392416875, -0.5218758726153326, -0.9577717666263538 };

	/**
	 * LinearSVC with intercept_scaling 1000, which makes its (penalized) intercept
	 * practically unpenalized.
	 */
	static final double[] SVC_COEF = { 1.0720774648563092, -0.511783366981627, 0.34009589788627986 };

	static final double SVC_INTERCEPT = 2.645325222150309;

	static final double[][] Z = { { 1.75, -0.29, -0.48, -2.65, -0.01 }, { -0.32, -0.54, 0.32, 0.42, -1.07 },
			{ -0.89, -0.48, 0.69, 0.56, -1.31 }, { -1.12, 0.74, 1.57, -0.03, -0.68 }, { 1.1, -0.31, 0.73, 1.55, 0.63 },
			{ 0.07, 0.73, -0.64, -0.18, -0.57 }, { -0.2, -0.49, -0.19, -0.38, 0.09 }, { 0.06, 0.3, 1.4, -1.55, 1.3 },
			{ -0.24, -1.23, -0.17, 0.09, 1.07 }, { -1.06, 0.22, 0.12, -1.68, -1.19 }, { 0.6, 0.7, 1.09, 0.53, 0.4 },
			{ 0.12, 1.21, -0.84, -0.14, 0.39 }, { -1.58, 1.31, -0.79, -0.07, 2.16 },
			{ -0.83, -0.53, 1.56, -1.08, -0.43 }, { 0.52, 0.46, 0.59, 0.37, 1.35 }, { 1.02, 0.6, -0.68, -0.71, -1.91 },
			{ 0.69, -1.82, 0.88, 1.85, -1.06 }, { -0.68, -0.48, 0.83, -0.86, -0.13 },
			{ -0.52, -0.25, 1.29, -0.96, 0.07 }, { 0.27, 0.86, -1.26, 1.11, 0.43 }, { 0.87, 0.07, -1.64, -0.65, 0.82 },
			{ 0.04, -0.05, 1.79, 2.2, -0.04 }, { 1.93, -1.99, -2.05, 0.87, -0.26 }, { 0.58, 0.52, -0.09, 0.68, 0.15 },
			{ -1.53, 0.22, 0.19, 1.83, -1.13 }, { 0.02, -0.42, -0.13, 1.66, 0.38 }, { -0.46, 0.15, 0.77, -0.99, -0.26 },
			{ 1.54, 0.86, -0.04, -0.48, -0.15 }, { -1.55, 0.94, 0.34, 0.14, -1.3 }, { -0.71, 0.51, 0.26, -0.5, 0.51 },
			{ 0.94, -0.68, -0.53, -0.87, -1.16 }, { 0.8, 0.51, 0.34, -1.17, -1.05 }, { -0.07, -0.41, 0.12, -0.7, 0.65 },
			{ 1.8, 1.55, 1.61, 0.07, 0.92 }, { -0.38, 0.92, -0.38, -0.49, -0.64 }, { 0.7, 0.28, 0.19, -1.14, 0.14 },
			{ -1.44, 1.48, -0.13, 0.19, -0.11 }, { -1.58, -1.37, -0.03, 1.49, -1.12 },
			{ -0.71, -0.05, -1.69, -1.7, -0.41 }, { -0.05, -0.39, 1.53, -0.16, 0.36 } };

	static final double[] T = { 4.769, 0.911, -1.277, -2.593, 3.359, -0.504, 0.313, -0.069, 0.841, -2.18, 1.053, -0.089,
			-3.512, -0.626, 0.489, 1.923, 3.598, -0.274, -0.329, -0.359, 2.294, 0.01, 6.143, 1.234, -2.675, 1.431,
			-1.279, 2.822, -3.333, -1.528, 3.251, 1.259, 0.967, 2.711, -1.474, 1.42, -3.917, -1.487, -0.557, 0.843 };

	static final double[] LASSO_COEF = { 1.9325202097374194, -0.839406639325597, 0, 0, 0 };

	static final double LASSO_INTERCEPT = 0.4341416603250678;

	static TrainingConfig lbfgs(Algorithm algorithm, Task task, double l1, double l2, SvmLoss svmLoss,
			double[] classWeights, int iterations) {
		return new TrainingConfig(algorithm, task, OptimizerKind.LBFGS, 0.1, iterations, 0, l1, l2, List.of(),
				Activation.RELU, 0.0, false, 0, 0.0, Monitor.VALIDATION_LOSS, LearningRateSchedule.CONSTANT, 0.9,
				svmLoss, classWeights, 1L);
	}

	private static TrainingResult fit(TrainingConfig config, double[][] x, double[] y, int classes) {
		return NetworkTrainer.train(config, x, y, classes, NO_ROWS, NO_TARGETS, null);
	}

	@Test
	void logisticRegressionReachesTheExactRegularizedOptimum() {
		double l2 = 0.05;
		double[] weights = { 1, 2.5 };
		TrainingResult result = fit(
				lbfgs(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, 0, l2, SvmLoss.HINGE, weights, 500), X, Y, 2);

		double[] expected = newton(X, Y, l2, weights, false);
		DenseLayer layer = result.weights().layers().get(0);
		for (int j = 0; j < 3; j++) {
			assertThat(layer.weights()[j]).as("w%d", j).isCloseTo(expected[j], within(1e-5));
		}
		assertThat(layer.bias()[0]).isCloseTo(expected[3], within(1e-5));
		// one history entry per iteration, converged well before the limit
		assertThat(result.history().size()).isLessThan(500).isEqualTo(result.bestEpoch());
		assertThat(result.stoppedEarly()).isTrue();
		List<EpochLoss> history = result.history();
		assertThat(history.get(history.size() - 1).trainLoss()).isLessThan(history.get(0).trainLoss());
	}

	@Test
	void squaredHingeSvmReachesTheExactRegularizedOptimum() {
		double l2 = 0.02;
		TrainingResult result = fit(
				lbfgs(Algorithm.LINEAR_SVM, Task.CLASSIFICATION, 0, l2, SvmLoss.SQUARED_HINGE, null, 500), X, Y, 2);

		double[] expected = newton(X, Y, l2, null, true);
		DenseLayer layer = result.weights().layers().get(0);
		for (int j = 0; j < 3; j++) {
			assertThat(layer.weights()[j]).as("w%d", j).isCloseTo(expected[j], within(1e-5));
		}
		assertThat(layer.bias()[0]).isCloseTo(expected[3], within(1e-5));
	}

	@Test
	void logisticRegressionWithLambdaOneOverCnMatchesScikitLearn() {
		TrainingResult binary = fit(
				lbfgs(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, 0, 1.0 / X.length, SvmLoss.HINGE, null, 1000),
				X, Y, 2);
		DenseLayer layer = binary.weights().layers().get(0);
		for (int j = 0; j < 3; j++) {
			assertThat(layer.weights()[j]).isCloseTo(LOGISTIC_COEF[j], within(1e-5));
		}
		assertThat(layer.bias()[0]).isCloseTo(LOGISTIC_INTERCEPT, within(1e-5));

		// multinomial: the same over-parameterized softmax with an L2 penalty on every
		// class's weights. The raw (unstandardized) features make it ill-conditioned: the
		// 1e-6 gradient tolerance leaves ~1e-5 in the weights
		TrainingResult softmax = fit(
				lbfgs(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, 0, 1.0 / X.length, SvmLoss.HINGE, null, 1000),
				X, Y3, 3);
		DenseLayer three = softmax.weights().layers().get(0);
		for (int c = 0; c < 3; c++) {
			for (int j = 0; j < 3; j++) {
				// weights are row-major [input][class]
				assertThat(three.weights()[j * 3 + c]).isCloseTo(SOFTMAX_COEF[c][j], within(5e-5));
			}
			assertThat(three.bias()[c]).isCloseTo(SOFTMAX_INTERCEPT[c], within(5e-5));
		}
	}

	@Test
	void squaredHingeSvmMatchesLinearSvcWithAnUnpenalizedIntercept() {
		TrainingResult result = fit(
				lbfgs(Algorithm.LINEAR_SVM, Task.CLASSIFICATION, 0, 1.0 / X.length, SvmLoss.SQUARED_HINGE, null, 1000),
				X, Y, 2);
		DenseLayer layer = result.weights().layers().get(0);
		// intercept_scaling 1000 leaves LinearSVC an intercept penalty of (b/1000)^2/2:
		// tiny but not zero
		for (int j = 0; j < 3; j++) {
			assertThat(layer.weights()[j]).isCloseTo(SVC_COEF[j], within(1e-5));
		}
		assertThat(layer.bias()[0]).isCloseTo(SVC_INTERCEPT, within(1e-5));
	}

	@Test
	void owlqnMatchesScikitLearnLassoWithExactZeros() {
		TrainingConfig config = lbfgs(Algorithm.LINEAR_REGRESSION, Task.REGRESSION, 0.1, 0, SvmLoss.HINGE, null, 1000);
		DenseLayer layer = fit(config, Z, T, 0).weights().layers().get(0);
		assertThat(layer.weights()[0]).isCloseTo(LASSO_COEF[0], within(1e-6));
		assertThat(layer.weights()[1]).isCloseTo(LASSO_COEF[1], within(1e-6));
		assertThat(Arrays.copyOfRange(layer.weights(), 2, 5)).containsOnly(0.0);
		assertThat(layer.bias()[0]).isCloseTo(LASSO_INTERCEPT, within(1e-6));
	}

	@Test
	void proximalGradientStepsAlsoReachTheLassoSolutionWithExactZeros() {
		for (OptimizerKind optimizer : List.of(OptimizerKind.SGD, OptimizerKind.ADAM)) {
			TrainingConfig config = new TrainingConfig(Algorithm.LINEAR_REGRESSION, Task.REGRESSION, optimizer, 0.05,
					800, 0, 0.1, 0.0, List.of(), Activation.RELU, 0.0, false, 0, 0.0, Monitor.VALIDATION_LOSS,
					LearningRateSchedule.CONSTANT, 0.9, SvmLoss.HINGE, null, 1L);
			DenseLayer layer = fit(config, Z, T, 0).weights().layers().get(0);
			assertThat(layer.weights()[0]).as(optimizer.name()).isCloseTo(LASSO_COEF[0], within(2e-3));
			assertThat(layer.weights()[1]).as(optimizer.name()).isCloseTo(LASSO_COEF[1], within(2e-3));
			assertThat(Arrays.copyOfRange(layer.weights(), 2, 5)).as(optimizer.name()).containsOnly(0.0);
		}
	}

	@Test
	void listenerSeesEachIterationAndCanCancel() {
		List<EpochLoss> seen = new ArrayList<>();
		TrainingResult result = NetworkTrainer.train(
				lbfgs(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, 0, 0.01, SvmLoss.HINGE, null, 100), X, Y, 2,
				X, Y, (loss, epochs) -> {
					seen.add(loss);
					return loss.epoch() < 2;
				});
		assertThat(result.cancelled()).isTrue();
		assertThat(result.history()).hasSize(2).isEqualTo(seen);
		assertThat(seen.get(1).validationLoss()).isCloseTo(seen.get(1).trainLoss(), within(1e-12));
	}

	@Test
	void rejectsLbfgsForMlp() {
		TrainingConfig config = new TrainingConfig(Algorithm.MLP, Task.CLASSIFICATION, OptimizerKind.LBFGS, 0.1, 10, 0,
				0.0, List.of(4), Activation.RELU, 0, 0.9, 1L);
		assertThatIllegalArgumentException().isThrownBy(() -> fit(config, X, Y, 2)).withMessageContaining("lbfgs");
	}

	/**
	 * The exact optimum of mean(w_i * loss_i) + l2/2 |w|^2 (bias unpenalized) by
	 * (generalized) Newton's method with step halving, in plain double loops: logistic
	 * loss, or the squared hinge max(0, 1 - t z)^2 with t = +-1. Returns {w..., b}.
	 */
	static double[] newton(double[][] x, double[] y, double l2, double[] classWeights, boolean squaredHinge) {
		int n = x.length;
		int d = x[0].length + 1;
		double[] theta = new double[d];
		for (int iteration = 0; iteration < 100; iteration++) {
			double[] g = new double[d];
			double[][] h = new double[d][d];
			for (int i = 0; i < n; i++) {
				double[] row = augmented(x[i]);
				double z = dot(theta, row);
				double w = (classWeights == null) ? 1 : classWeights[(int) y[i]];
				double first;
				double second;
				if (squaredHinge) {
					double t = (y[i] == 1) ? 1 : -1;
					double margin = 1 - t * z;
					first = (margin > 0) ? -2 * t * margin : 0;
					second = (margin > 0) ? 2 : 0;
				}
				else {
					double p = 1 / (1 + Math.exp(-z));
					first = p - y[i];
					second = p * (1 - p);
				}
				for (int a = 0; a < d; a++) {
					g[a] += w * first * row[a] / n;
					for (int b = 0; b < d; b++) {
						h[a][b] += w * second * row[a] * row[b] / n;
					}
				}
			}
			for (int a = 0; a < d - 1; a++) {
				g[a] += l2 * theta[a];
				h[a][a] += l2;
			}
			double[] step = solve(h, g);
			double current = objective(x, y, l2, classWeights, squaredHinge, theta);
			double scale = 1;
			double[] next = theta;
			for (int k = 0; k < 60; k++) {
				next = new double[d];
				for (int a = 0; a < d; a++) {
					next[a] = theta[a] - scale * step[a];
				}
				if (objective(x, y, l2, classWeights, squaredHinge, next) <= current) {
					break;
				}
				scale /= 2;
			}
			theta = next;
		}
		return theta;
	}

	private static double objective(double[][] x, double[] y, double l2, double[] classWeights, boolean squaredHinge,
			double[] theta) {
		double sum = 0;
		for (int i = 0; i < x.length; i++) {
			double z = dot(theta, augmented(x[i]));
			double w = (classWeights == null) ? 1 : classWeights[(int) y[i]];
			if (squaredHinge) {
				double margin = 1 - ((y[i] == 1) ? 1 : -1) * z;
				sum += w * ((margin > 0) ? margin * margin : 0);
			}
			else {
				sum += w * (Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - y[i] * z);
			}
		}
		double squares = 0;
		for (int a = 0; a < theta.length - 1; a++) {
			squares += theta[a] * theta[a];
		}
		return sum / x.length + 0.5 * l2 * squares;
	}

	private static double[] augmented(double[] row) {
		double[] result = Arrays.copyOf(row, row.length + 1);
		result[row.length] = 1;
		return result;
	}

	private static double dot(double[] a, double[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

	/** Gaussian elimination with partial pivoting. */
	static double[] solve(double[][] a, double[] b) {
		int n = b.length;
		double[][] m = new double[n][];
		for (int i = 0; i < n; i++) {
			m[i] = Arrays.copyOf(a[i], n + 1);
			m[i][n] = b[i];
		}
		for (int c = 0; c < n; c++) {
			int pivot = c;
			for (int r = c + 1; r < n; r++) {
				if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
					pivot = r;
				}
			}
			double[] swap = m[c];
			m[c] = m[pivot];
			m[pivot] = swap;
			for (int r = c + 1; r < n; r++) {
				double f = m[r][c] / m[c][c];
				for (int k = c; k <= n; k++) {
					m[r][k] -= f * m[c][k];
				}
			}
		}
		double[] result = new double[n];
		for (int r = n - 1; r >= 0; r--) {
			double sum = m[r][n];
			for (int k = r + 1; k < n; k++) {
				sum -= m[r][k] * result[k];
			}
			result[r] = sum / m[r][r];
		}
		return result;
	}

}
