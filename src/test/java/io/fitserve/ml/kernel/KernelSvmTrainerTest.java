package io.fitserve.ml.kernel;

import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.SyntheticData;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.linear.LinearSolversTest;
import java.util.ArrayList;
import java.util.Arrays;
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

	/**
	 * Two noisy concentric circles (radius 1: class 0, radius 0.5: class 1), like
	 * sklearn's make_circles.
	 */
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

	/**
	 * Four overlapping classes in 6 dimensions from the 64-bit LCG (Irwin-Hall noise:
	 * exact in any language): class c = i % 4, centre LCG-drawn in [-1, 1]^4 plus two
	 * pure-noise features, noise the sum of 3 uniforms minus 1.5; standardised with the
	 * training rows' mean and population standard deviation (as StandardScaler). Returns
	 * {train (600 rows), test (400 rows)}.
	 */
	static Data[] fourClasses() {
		LinearSolversTest.Lcg g = new LinearSolversTest.Lcg(2024);
		int d = 6;
		double[][] centres = new double[4][d];
		for (double[] centre : centres) {
			for (int j = 0; j < 4; j++) {
				centre[j] = 2 * g.next() - 1;
			}
		}
		Data[] sets = new Data[2];
		int[] sizes = { 600, 400 };
		for (int s = 0; s < 2; s++) {
			double[][] x = new double[sizes[s]][d];
			int[] y = new int[sizes[s]];
			for (int i = 0; i < sizes[s]; i++) {
				y[i] = i % 4;
				for (int j = 0; j < d; j++) {
					x[i][j] = centres[y[i]][j] + (g.next() + g.next() + g.next() - 1.5);
				}
			}
			sets[s] = new Data(x, y);
		}
		double[] mean = new double[d];
		double[] sd = new double[d];
		double[][] train = sets[0].x();
		for (int j = 0; j < d; j++) {
			for (double[] row : train) {
				mean[j] += row[j];
			}
			mean[j] /= train.length;
			for (double[] row : train) {
				sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
			}
			sd[j] = Math.sqrt(sd[j] / train.length);
		}
		for (Data set : sets) {
			for (double[] row : set.x()) {
				for (int j = 0; j < d; j++) {
					row[j] = (row[j] - mean[j]) / sd[j];
				}
			}
		}
		return sets;
	}

	static KernelSvmConfig config(Kernel kernel, boolean probabilities) {
		return new KernelSvmConfig(kernel, 1.0, 0.0, 3, 0.0, probabilities, 5000, 1000, null, 7L);
	}

	/**
	 * SVC() on fourClasses(), from the snippet in
	 * {@link #fourClassesMatchScikitLearnSvcOneVersusOne}.
	 */
	private static final double SVC_ACCURACY = 0.85;

	private static final int SVC_SUPPORT = 326;

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
		// x1*x2 is in the span of (x.y)^2's features, so the classes separate up to
		// points near the axes
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
		 * sklearn 1.2.1, the same generator as moons() (lcg as in LinearSolversTest): def
		 * moons(n, seed): g = lcg(seed); X = []; y = [] for i in range(n): c = i % 2; t =
		 * np.pi * next(g) if c == 0: a, b = np.cos(t), np.sin(t) else: a, b = 1 -
		 * np.cos(t), 0.5 - np.sin(t) X.append([a + 1.2 * (next(g) - 0.5), b + 1.2 *
		 * (next(g) - 0.5)]); y.append(c) return np.array(X), np.array(y) X, y =
		 * moons(400, 42); Xt, yt = moons(400, 7) m = SVC(C=1, gamma='scale').fit(X, y) #
		 * gamma 0.8372878020109044, n_support_ [79 79], m.score(Xt, yt) 0.885, intercept_
		 * [-0.02065845] m.decision_function(Xt[:5]) # [-1.47105322, 1.55041233,
		 * -1.26119212, 1.26612235, -0.04210301]
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
		// ~88% accurate: calibrated log-loss must beat the uninformed log(2) = 0.69
		// clearly
		assertThat(logLoss / test.x().length).isLessThan(0.4);
	}

	@Test
	void multiClassIsOneVersusOneWithNormalisedProbabilities() {
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
			// 3 classes: 3 pairs (0,1), (0,2), (1,2)
			assertThat(model.strategy()).isEqualTo(KernelModel.OVO);
			assertThat(model.pairs()).isDeepEqualTo(new int[][] { { 0, 1 }, { 0, 2 }, { 1, 2 } });
			assertThat(model.coefficients()).hasNumberOfRows(3);
			assertThat(model.calibrated()).isEqualTo(probabilities);
			assertThat(epochs).extracting(EpochLoss::epoch).containsExactly(1, 2, 3);
			assertThat(accuracy(model, new Data(blobs.x, y))).isGreaterThan(0.95);
			for (double[] row : blobs.x) {
				double[] p = model.predictProba(row);
				assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
				assertThat(model.predictClass(row)).isEqualTo(argmax(p));
				if (!probabilities) {
					assertThat(argmax(p)).isEqualTo(votedClass(model.decisionFunction(row), 3));
				}
			}
		}
	}

	/**
	 * libsvm's vote: pair (i, j) votes i when its decision value is positive, ties to the
	 * lowest class index.
	 */
	static int votedClass(double[] f, int numClasses) {
		int[] votes = new int[numClasses];
		int m = 0;
		for (int i = 0; i < numClasses; i++) {
			for (int j = i + 1; j < numClasses; j++) {
				votes[f[m++] > 0 ? i : j]++;
			}
		}
		int best = 0;
		for (int c = 1; c < numClasses; c++) {
			if (votes[c] > votes[best]) {
				best = c;
			}
		}
		return best;
	}

	@Test
	void fourClassesMatchScikitLearnSvcOneVersusOne() {
		/*
		 * The data of fourClasses(), written from Java to CSV (x..., y per line,
		 * standardised), sklearn 1.2.1: tr = np.loadtxt('four_train.csv', delimiter=',');
		 * te = np.loadtxt('four_test.csv', delimiter=',') m = SVC().fit(tr[:, :-1], tr[:,
		 * -1]) m.score(te[:, :-1], te[:, -1]) # 0.85 m.n_support_ # [ 65 102 112 47]: 326
		 * OneVsRestClassifier(SVC()).fit(tr[:, :-1], tr[:, -1]).score(te[:, :-1], te[:,
		 * -1]) # 0.85
		 */
		Data[] data = fourClasses();
		Data train = data[0];
		Data test = data[1];
		KernelModel model = KernelSvmTrainer.train(config(Kernel.RBF, false), train.x(), train.y(), 4, null);
		assertThat(model.strategy()).isEqualTo(KernelModel.OVO);
		assertThat(model.coefficients()).hasNumberOfRows(6);
		assertThat(accuracy(model, test)).isCloseTo(SVC_ACCURACY, within(0.01));
		assertThat(model.vectors().length).isBetween((int) (SVC_SUPPORT * 0.95), (int) (SVC_SUPPORT * 1.05));
		for (double[] row : test.x()) {
			double[] p = model.predictProba(row);
			assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
			assertThat(argmax(p)).isEqualTo(votedClass(model.decisionFunction(row), 4));
		}
		KernelModel calibrated = KernelSvmTrainer.train(config(Kernel.RBF, true), train.x(), train.y(), 4, null);
		assertThat(calibrated.calibrated()).isTrue();
		double logLoss = 0;
		for (int r = 0; r < test.x().length; r++) {
			double[] p = calibrated.predictProba(test.x()[r]);
			assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
			for (double v : p) {
				assertThat(v).isBetween(0.0, 1.0);
			}
			assertThat(calibrated.predictClass(test.x()[r])).isEqualTo(argmax(p));
			logLoss -= Math.log(p[test.y()[r]]);
		}
		assertThat(accuracy(calibrated, test)).isCloseTo(SVC_ACCURACY, within(0.02));
		// uninformed: log(4) = 1.39
		assertThat(logLoss / test.x().length).isLessThan(0.6);
	}

	@Test
	void pairwiseCouplingMatchesLibsvm() {
		// consistent pairwise probabilities r_ij = p_i / (p_i + p_j) are coupled back to
		// p
		double[] p = { 0.5, 0.3, 0.15, 0.05 };
		double[][] r = new double[4][4];
		for (int i = 0; i < 4; i++) {
			for (int j = 0; j < 4; j++) {
				r[i][j] = (i == j) ? 0 : p[i] / (p[i] + p[j]);
			}
		}
		double[] coupled = KernelModel.multiclassProbability(r);
		assertThat(Arrays.stream(coupled).sum()).isCloseTo(1.0, within(1e-12));
		for (int c = 0; c < 4; c++) {
			assertThat(coupled[c]).isCloseTo(p[c], within(1e-3));
		}
	}

	@Test
	void nystroemMultiClassStaysOneVersusRest() {
		SyntheticData blobs = SyntheticData.blobs(new double[][] { { 0, 4 }, { 4, -2 }, { -4, -2 } }, 60, 9);
		KernelSvmConfig approximate = new KernelSvmConfig(Kernel.RBF, 1.0, 0.0, 3, 0.0, false, 100, 50, null, 3L);
		KernelModel model = KernelSvmTrainer.train(approximate, blobs.x, labels(blobs.y), 3, null);
		assertThat(model.approximation()).isEqualTo(KernelModel.NYSTROEM);
		assertThat(model.strategy()).isEqualTo(KernelModel.OVR);
		assertThat(model.pairs()).isEmpty();
		assertThat(accuracy(model, new Data(blobs.x, labels(blobs.y)))).isGreaterThan(0.95);
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
