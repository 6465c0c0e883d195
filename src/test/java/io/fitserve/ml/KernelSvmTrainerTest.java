package io.fitserve.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class KernelSvmTrainerTest {

	record Data(double[][] x, int[] y) {
	}

	/** Two noisy concentric circles (radius 1: class 0, radius 0.5: class 1), like sklearn's make_circles. */
	static Data circles(int rows, double noise, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[rows][];
		int[] y = new int[rows];
		for (int r = 0; r < rows; r++) {
			y[r] = r % 2;
			double angle = random.nextDouble(0, 2 * Math.PI);
			double radius = (y[r] == 0) ? 1.0 : 0.5;
			x[r] = new double[] { radius * Math.cos(angle) + noise * random.nextGaussian(),
					radius * Math.sin(angle) + noise * random.nextGaussian() };
		}
		return new Data(x, y);
	}

	/** Noisy two moons from the 64-bit LCG shared with the Python reference below. */
	static Data moons(int rows, long seed) {
		LinearSolversTest.Lcg g = new LinearSolversTest.Lcg(seed);
		double[][] x = new double[rows][];
		int[] y = new int[rows];
		for (int i = 0; i < rows; i++) {
			int c = i % 2;
			double t = Math.PI * g.next();
			double a = (c == 0) ? Math.cos(t) : 1 - Math.cos(t);
			double b = (c == 0) ? Math.sin(t) : 0.5 - Math.sin(t);
			x[i] = new double[] { a + 1.2 * (g.next() - 0.5), b + 1.2 * (g.next() - 0.5) };
			y[i] = c;
		}
		return new Data(x, y);
	}

	static KernelSvmConfig config(Kernel kernel, boolean probabilities) {
		return new KernelSvmConfig(kernel, 1.0, 0.0, 3, 0.0, probabilities, 5000, 1000, null, 7L);
	}

	static int argmax(double[] p) {
		int best = 0;
		for (int c = 1; c < p.length; c++) {
			if (p[c] > p[best]) {
				best = c;
			}
		}
		return best;
	}

	static double accuracy(KernelModel model, Data data) {
		int correct = 0;
		for (int r = 0; r < data.x().length; r++) {
			if (argmax(model.predictProba(data.x()[r])) == data.y()[r]) {
				correct++;
			}
		}
		return (double) correct / data.x().length;
	}

	@Test
	void rbfSeparatesConcentricCirclesWhereALinearKernelCannot() {
		Data train = circles(300, 0.08, 1);
		Data test = circles(300, 0.08, 2);
		KernelModel rbf = KernelSvmTrainer.train(config(Kernel.RBF, false), train.x(), train.y(), 2, null);
		KernelModel linear = KernelSvmTrainer.train(config(Kernel.LINEAR, false), train.x(), train.y(), 2, null);
		assertThat(rbf.approximation()).isEqualTo("none");
		assertThat(accuracy(rbf, test)).isGreaterThan(0.95);
		assertThat(accuracy(linear, test)).isLessThan(0.7);
	}

	@Test
	void polynomialOfDegreeTwoFitsXor() {
		SyntheticData xor = SyntheticData.xor(200, 3);
		SyntheticData xorTest = SyntheticData.xor(200, 4);
		KernelSvmConfig poly = new KernelSvmConfig(Kernel.POLY, 10.0, 1.0, 2, 0.0, false, 5000, 1000, null, 1L);
		KernelModel model = KernelSvmTrainer.train(poly, xor.x, labels(xor.y), 2, null);
		// x1*x2 is in the span of (x.y)^2's features, so the classes separate up to points near the axes
		assertThat(accuracy(model, new Data(xorTest.x, labels(xorTest.y)))).isGreaterThan(0.9);
	}

	private static int[] labels(double[] y) {
		int[] labels = new int[y.length];
		for (int i = 0; i < y.length; i++) {
			labels[i] = (int) y[i];
		}
		return labels;
	}

	@Test
	void matchesScikitLearnSvc() {
		/*
		 * sklearn 1.2.1, the same generator as moons() (lcg as in LinearSolversTest):
		 * def moons(n, seed):
		 *     g = lcg(seed); X = []; y = []
		 *     for i in range(n):
		 *         c = i % 2; t = np.pi * next(g)
		 *         if c == 0: a, b = np.cos(t), np.sin(t)
		 *         else: a, b = 1 - np.cos(t), 0.5 - np.sin(t)
		 *         X.append([a + 1.2 * (next(g) - 0.5), b + 1.2 * (next(g) - 0.5)]); y.append(c)
		 *     return np.array(X), np.array(y)
		 * X, y = moons(400, 42); Xt, yt = moons(400, 7)
		 * m = SVC(C=1, gamma='scale').fit(X, y)
		 * # gamma 0.8372878020109044, n_support_ [79 79], m.score(Xt, yt) 0.885, intercept_ [-0.02065845]
		 * m.decision_function(Xt[:5])  # [-1.47105322, 1.55041233, -1.26119212, 1.26612235, -0.04210301]
		 */
		Data train = moons(400, 42);
		Data test = moons(400, 7);
		assertThat(KernelSvmTrainer.resolveGamma(0, train.x())).isCloseTo(0.8372878020109044, within(1e-12));
		KernelModel model = KernelSvmTrainer.train(config(Kernel.RBF, false), train.x(), train.y(), 2, null);
		assertThat(accuracy(model, test)).isCloseTo(0.885, within(0.01));
		assertThat(model.vectors().length).isBetween(142, 174); // 158 +- 10%
		double[] expected = { -1.47105322, 1.55041233, -1.26119212, 1.26612235, -0.04210301 };
		for (int r = 0; r < expected.length; r++) {
			// both stop at a KKT violation below 1e-3, so the margins agree to about that
			assertThat(model.decisionFunction(test.x()[r])[0]).isCloseTo(expected[r], within(0.01));
		}
		assertThat(model.bias()[0]).isCloseTo(-0.02065845, within(0.01));
	}

	@Test
	void nystroemApproximationHandlesMoreRowsThanTheExactLimit() {
		Data train = circles(6000, 0.08, 5);
		Data test = circles(1000, 0.08, 6);
		KernelSvmConfig approximate = new KernelSvmConfig(Kernel.RBF, 1.0, 0.0, 3, 0.0, false, 5000, 150, null, 3L);
		KernelModel model = KernelSvmTrainer.train(approximate, train.x(), train.y(), 2, null);
		assertThat(model.approximation()).isEqualTo("nystroem");
		assertThat(model.vectors()).hasNumberOfRows(150);
		assertThat(accuracy(model, test)).isGreaterThan(0.9);
	}

	@Test
	void plattProbabilitiesAreCalibratedSumToOneAndRankLikeTheMargins() {
		Data train = moons(300, 42);
		Data test = moons(200, 7);
		KernelModel model = KernelSvmTrainer.train(config(Kernel.RBF, true), train.x(), train.y(), 2, null);
		assertThat(model.calibrated()).isTrue();
		assertThat(model.plattA()[0]).isNegative();
		List<double[]> pairs = new ArrayList<>();
		double logLoss = 0;
		for (int r = 0; r < test.x().length; r++) {
			double[] p = model.predictProba(test.x()[r]);
			assertThat(p).hasSize(2);
			assertThat(p[0]).isStrictlyBetween(0.0, 1.0);
			assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-12));
			pairs.add(new double[] { model.decisionFunction(test.x()[r])[0], p[1] });
			logLoss -= Math.log(p[test.y()[r]]);
		}
		pairs.sort((a, b) -> Double.compare(a[0], b[0]));
		for (int i = 1; i < pairs.size(); i++) {
			assertThat(pairs.get(i)[1]).isGreaterThanOrEqualTo(pairs.get(i - 1)[1]);
		}
		// ~88% accurate: calibrated log-loss must beat the uninformed log(2) = 0.69 clearly
		assertThat(logLoss / test.x().length).isLessThan(0.4);
	}

	@Test
	void multiClassIsOneVersusRestWithNormalisedProbabilities() {
		SyntheticData blobs = SyntheticData.blobs(new double[][] { { 0, 4 }, { 4, -2 }, { -4, -2 } }, 60, 9);
		int[] y = labels(blobs.y);
		List<EpochLoss> epochs = new ArrayList<>();
		TrainingListener listener = (loss, total) -> {
			assertThat(total).isEqualTo(3);
			epochs.add(loss);
			return true;
		};
		for (boolean probabilities : new boolean[] { false, true }) {
			epochs.clear();
			KernelModel model = KernelSvmTrainer.train(config(Kernel.RBF, probabilities), blobs.x, y, 3, listener);
			assertThat(model.coefficients()).hasNumberOfRows(3);
			assertThat(model.calibrated()).isEqualTo(probabilities);
			assertThat(epochs).extracting(EpochLoss::epoch).containsExactly(1, 2, 3);
			assertThat(accuracy(model, new Data(blobs.x, y))).isGreaterThan(0.95);
			for (double[] row : blobs.x) {
				double[] p = model.predictProba(row);
				double[] f = model.decisionFunction(row);
				assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
				assertThat(argmax(p)).isEqualTo(argmax(f));
			}
		}
	}

	@Test
	void classWeightsShiftTheBoundaryTowardsTheLighterClass() {
		Data train = moons(300, 42);
		KernelSvmConfig weighted = new KernelSvmConfig(Kernel.RBF, 1.0, 0.0, 3, 0.0, false, 5000, 1000,
				new double[] { 1.0, 5.0 }, 7L);
		KernelModel plain = KernelSvmTrainer.train(config(Kernel.RBF, false), train.x(), train.y(), 2, null);
		KernelModel heavy = KernelSvmTrainer.train(weighted, train.x(), train.y(), 2, null);
		assertThat(predictedOnes(heavy, train)).isGreaterThan(predictedOnes(plain, train));
	}

	private static int predictedOnes(KernelModel model, Data data) {
		int ones = 0;
		for (double[] row : data.x()) {
			ones += model.decisionFunction(row)[0] > 0 ? 1 : 0;
		}
		return ones;
	}

	@Test
	void cancellationThrows() {
		Data train = moons(200, 1);
		TrainingListener stop = new TrainingListener() {
			@Override
			public boolean onEpoch(EpochLoss loss, int epochs) {
				return true;
			}

			@Override
			public boolean cancelled() {
				return true;
			}
		};
		assertThatThrownBy(() -> KernelSvmTrainer.train(config(Kernel.RBF, false), train.x(), train.y(), 2, stop))
			.isInstanceOf(CancellationException.class);
		assertThatThrownBy(() -> KernelSvmTrainer.train(config(Kernel.RBF, false), train.x(), train.y(), 2,
				(loss, epochs) -> false))
			.isInstanceOf(CancellationException.class);
	}

	@Test
	void singleClassTrainingDataGivesAConstantMachine() {
		double[][] x = { { 0, 0 }, { 1, 1 }, { 2, 2 } };
		KernelModel model = KernelSvmTrainer.train(config(Kernel.RBF, false), x, new int[] { 1, 1, 1 }, 2, null);
		assertThat(model.decisionFunction(new double[] { 5, 5 })[0]).isEqualTo(1.0);
		assertThat(model.predictProba(new double[] { 5, 5 })[1]).isGreaterThan(0.5);
	}

}
