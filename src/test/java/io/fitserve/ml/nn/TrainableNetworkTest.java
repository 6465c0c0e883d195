package io.fitserve.ml.nn;

import io.fitserve.ml.linalg.DirectGemm;
import io.fitserve.ml.linalg.NativeMatrix;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrainableNetworkTest {

	private static final int ROWS = 7;

	@Test
	void backpropagationMatchesFiniteDifferencesForEveryActivationAndLoss() {
		for (Activation activation : Activation.values()) {
			for (LossKind loss : LossKind.values()) {
				int outputs = (loss == LossKind.MSE || loss == LossKind.BINARY_CROSS_ENTROPY) ? 1 : 3;
				checkGradient(new int[] { 3, 5, 4, outputs }, activation, loss, 0.1);
			}
		}
	}

	@Test
	void singleLayerGradientMatchesFiniteDifferences() {
		for (LossKind loss : LossKind.values()) {
			int outputs = (loss == LossKind.MSE || loss == LossKind.BINARY_CROSS_ENTROPY) ? 1 : 3;
			checkGradient(new int[] { 4, outputs }, Activation.RELU, loss, 0.0);
		}
	}

	@Test
	void chunkedBatchesAccumulateTheSameGradientAndLoss() {
		int[] sizes = { 3, 6, 4, 3 };
		SplittableRandom random = new SplittableRandom(99);
		double[] params = new double[(int) TrainableNetwork.parameterCount(sizes)];
		for (int i = 0; i < params.length; i++) {
			params[i] = random.nextGaussian() * 0.5;
		}
		double[][] x = new double[10][3];
		double[][] y = new double[10][3];
		for (int r = 0; r < 10; r++) {
			for (int j = 0; j < 3; j++) {
				x[r][j] = random.nextGaussian();
			}
			y[r][r % 3] = 1;
		}
		NativeMatrix xm = NativeMatrix.of(x, 3);
		NativeMatrix ym = NativeMatrix.of(y, 3);
		TrainableNetwork whole = new TrainableNetwork(sizes, Activation.TANH, LossKind.SOFTMAX_CROSS_ENTROPY, 0.2,
				params);
		TrainableNetwork chunked = new TrainableNetwork(sizes, Activation.TANH, LossKind.SOFTMAX_CROSS_ENTROPY, 0.2,
				params);
		chunked.setChunkRows(3);

		assertThat(chunked.forwardBackward(xm, ym)).isCloseTo(whole.forwardBackward(xm, ym), within(1e-12));
		double[] expected = whole.gradientArray();
		double[] actual = chunked.gradientArray();
		for (int i = 0; i < expected.length; i++) {
			assertThat(actual[i]).isCloseTo(expected[i], within(1e-12));
		}
	}

	@Test
	void branchFreeReluAndItsMaskMatchTheComparisons() {
		double[] values = { 2.5, -2.5, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e300, -1e300,
				Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY };
		double[] expected = { 2.5, 0.0, 0.0, 0.0, Double.MIN_VALUE, 0.0, 1e300, 0.0, Double.POSITIVE_INFINITY, 0.0 };
		for (int i = 0; i < values.length; i++) {
			double relu = TrainableNetwork.relu(values[i]);
			// +0.0 exactly, never -0.0
			assertThat(Double.doubleToRawLongBits(relu)).as("relu(%s)", values[i])
				.isEqualTo(Double.doubleToRawLongBits(expected[i]));
			assertThat(TrainableNetwork.keepWherePositive(-3.25, relu)).as("mask of %s", values[i])
				.isEqualTo((values[i] > 0) ? -3.25 : 0.0);
		}
	}

	@Test
	void directBlasProductsGiveTheGradientsOfNd4jsGemm() {
		// the CPU backend in tests: the direct cblas_dgemm path is the one in use
		assertThat(DirectGemm.AVAILABLE).isTrue();
		int[] sizes = { 5, 8, 6, 3 };
		SplittableRandom random = new SplittableRandom(17);
		double[] params = new double[(int) TrainableNetwork.parameterCount(sizes)];
		for (int i = 0; i < params.length; i++) {
			params[i] = random.nextGaussian() * 0.5;
		}
		double[][] x = new double[11][5];
		double[][] y = new double[11][3];
		for (int r = 0; r < 11; r++) {
			for (int j = 0; j < 5; j++) {
				x[r][j] = random.nextGaussian();
			}
			y[r][r % 3] = 1;
		}
		NativeMatrix xm = NativeMatrix.of(x, 5);
		NativeMatrix ym = NativeMatrix.of(y, 3);
		// ReLU without dropout takes the fused backward pass; tanh the general one;
		// chunks of 4 rows read x and y at row offsets
		for (Activation activation : new Activation[] { Activation.RELU, Activation.TANH }) {
			for (int chunk : new int[] { Integer.MAX_VALUE, 4 }) {
				TrainableNetwork direct = new TrainableNetwork(sizes, activation, LossKind.SOFTMAX_CROSS_ENTROPY, 0.1,
						params);
				TrainableNetwork nd4j = new TrainableNetwork(sizes, activation, LossKind.SOFTMAX_CROSS_ENTROPY, 0.1,
						params);
				direct.setChunkRows(chunk);
				nd4j.setChunkRows(chunk);
				nd4j.setDirectGemm(false);
				// two steps, so that the second pass runs on updated weights and reused
				// buffers
				ParameterUpdater directAdam = ParameterUpdater.create(OptimizerKind.ADAM, 0.01, 0, params.length);
				ParameterUpdater nd4jAdam = ParameterUpdater.create(OptimizerKind.ADAM, 0.01, 0, params.length);
				for (int step = 0; step < 2; step++) {
					assertThat(direct.forwardBackward(xm, ym)).isCloseTo(nd4j.forwardBackward(xm, ym), within(1e-12));
					double[] expected = nd4j.gradientArray();
					double[] actual = direct.gradientArray();
					for (int i = 0; i < expected.length; i++) {
						assertThat(actual[i]).as("%s chunk %d step %d parameter %d", activation, chunk, step, i)
							.isCloseTo(expected[i], within(1e-12));
					}
					direct.step(directAdam);
					nd4j.step(nd4jAdam);
				}
			}
		}
	}

	@Test
	void lossesMatchHandComputedValues() {
		// two rows, one output: scores 2 and -1
		NativeMatrix z = NativeMatrix.of(new double[][] { { 2 }, { -1 } }, 1);
		NativeMatrix values = NativeMatrix.of(new double[][] { { 1.5 }, { 1 } }, 1);
		NativeMatrix labels = NativeMatrix.of(new double[][] { { 1 }, { 0 } }, 1);
		NativeMatrix signs = NativeMatrix.of(new double[][] { { 1 }, { 1 } }, 1);
		NativeMatrix grad = NativeMatrix.allocate(2, 1);

		assertThat(LossKind.MSE.evaluate(z.ix, values.ix, grad.ix, 2, 1, 0.5)).isCloseTo(0.25 + 4, within(1e-12));
		assertThat(grad.get(0, 0)).isCloseTo(0.25, within(1e-12));
		assertThat(grad.get(1, 0)).isCloseTo(-1.0, within(1e-12));

		double expected = Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-1));
		assertThat(LossKind.BINARY_CROSS_ENTROPY.evaluate(z.ix, labels.ix, grad.ix, 2, 1, 0.5)).isCloseTo(expected,
				within(1e-12));
		assertThat(grad.get(0, 0)).isCloseTo((1 / (1 + Math.exp(-2)) - 1) / 2, within(1e-12));

		// margins 2 (no loss) and -1 (loss 2)
		assertThat(LossKind.HINGE.evaluate(z.ix, signs.ix, grad.ix, 2, 1, 0.5)).isCloseTo(2.0, within(1e-12));
		assertThat(grad.get(0, 0)).isEqualTo(0.0);
		assertThat(grad.get(1, 0)).isCloseTo(-0.5, within(1e-12));

		// huge scores stay finite: right with confidence costs ~0, wrong costs |z|
		NativeMatrix extreme = NativeMatrix.of(new double[][] { { 800 }, { -800 } }, 1);
		assertThat(LossKind.BINARY_CROSS_ENTROPY.evaluate(extreme.ix, labels.ix, null, 2, 1, 0.5)).isEqualTo(0.0);
		NativeMatrix flipped = NativeMatrix.of(new double[][] { { 0 }, { 1 } }, 1);
		assertThat(LossKind.BINARY_CROSS_ENTROPY.evaluate(extreme.ix, flipped.ix, null, 2, 1, 0.5)).isCloseTo(1600.0,
				within(1e-9));
		NativeMatrix softmaxScores = NativeMatrix.of(new double[][] { { 1000, 0, -1000 } }, 3);
		NativeMatrix oneHot = NativeMatrix.of(new double[][] { { 0, 1, 0 } }, 3);
		assertThat(LossKind.SOFTMAX_CROSS_ENTROPY.evaluate(softmaxScores.ix, oneHot.ix, null, 1, 3, 1.0))
			.isCloseTo(1000.0, within(1e-9));
		NativeMatrix small = NativeMatrix.of(new double[][] { { 1, 2, 3 } }, 3);
		double logSum = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
		assertThat(LossKind.SOFTMAX_CROSS_ENTROPY.evaluate(small.ix, oneHot.ix, null, 1, 3, 1.0)).isCloseTo(logSum - 2,
				within(1e-12));
	}

	@Test
	void optimizersFollowTheirUpdateRules() {
		NativeMatrix p = NativeMatrix.of(new double[][] { { 1.0, -2.0 } }, 2);
		NativeMatrix g = NativeMatrix.of(new double[][] { { 0.5, -4.0 } }, 2);

		ParameterUpdater.create(OptimizerKind.SGD, 0.1, 0, 2).apply(p, g);
		assertThat(p.get(0, 0)).isCloseTo(0.95, within(1e-15));
		assertThat(p.get(0, 1)).isCloseTo(-1.6, within(1e-15));

		ParameterUpdater momentum = ParameterUpdater.create(OptimizerKind.MOMENTUM, 0.1, 0.9, 2);
		momentum.apply(p, g); // v = -0.05, p = 0.9
		momentum.apply(p, g); // v = 0.9 * -0.05 - 0.05 = -0.095, p = 0.805
		assertThat(p.get(0, 0)).isCloseTo(0.805, within(1e-15));
		assertThat(p.get(0, 1)).isCloseTo(-0.44, within(1e-15)); // v = 0.4, then 0.76

		// Adam's first bias-corrected step moves each parameter by lr * sign(g)
		ParameterUpdater adam = ParameterUpdater.create(OptimizerKind.ADAM, 0.01, 0, 2);
		adam.apply(p, g);
		assertThat(p.get(0, 0)).isCloseTo(0.805 - 0.01, within(1e-9));
		assertThat(p.get(0, 1)).isCloseTo(-0.44 + 0.01, within(1e-9));
	}

	@Test
	void gradientsWithClassWeightsBatchNormAndDropoutMatchFiniteDifferences() {
		for (LossKind loss : LossKind.values()) {
			if (loss == LossKind.MSE) {
				continue;
			}
			int outputs = (loss == LossKind.BINARY_CROSS_ENTROPY) ? 1 : 3;
			double[] classWeights = (outputs == 1) ? new double[] { 0.5, 3.0 } : new double[] { 2.0, 0.25, 1.5 };
			checkGradient(new int[] { 3, outputs }, Activation.RELU, loss, 0.1, classWeights, false, 0.0);
			checkGradient(new int[] { 3, 5, outputs }, Activation.TANH, loss, 0.1, classWeights, false, 0.0);
		}
		for (Activation activation : Activation.values()) {
			checkGradient(new int[] { 3, 5, 4, 3 }, activation, LossKind.SOFTMAX_CROSS_ENTROPY, 0.1, null, true, 0.0);
			checkGradient(new int[] { 3, 6, 4, 1 }, activation, LossKind.MSE, 0.1, null, false, 0.4);
			checkGradient(new int[] { 3, 6, 1 }, activation, LossKind.MSE, 0.0, null, true, 0.3);
		}
	}

	@Test
	void squaredHingeAndClassWeightsMatchHandComputedValues() {
		// margins y*z: 2 (no loss), -1 (loss (1+1)^2 = 4)
		NativeMatrix z = NativeMatrix.of(new double[][] { { 2 }, { -1 } }, 1);
		NativeMatrix signs = NativeMatrix.of(new double[][] { { 1 }, { 1 } }, 1);
		NativeMatrix grad = NativeMatrix.allocate(2, 1);
		assertThat(LossKind.SQUARED_HINGE.evaluate(z.ix, signs.ix, grad.ix, 2, 1, 0.5)).isCloseTo(4.0, within(1e-12));
		assertThat(grad.get(0, 0)).isEqualTo(0.0);
		assertThat(grad.get(1, 0)).isCloseTo(-2 * 2 * 0.5, within(1e-12));
		// class 1 weighs 3: both rows are class 1
		assertThat(LossKind.SQUARED_HINGE.evaluate(z.ix, signs.ix, grad.ix, 2, 1, 0.5, new double[] { 1, 3 }))
			.isCloseTo(12.0, within(1e-12));
		assertThat(grad.get(1, 0)).isCloseTo(-6.0, within(1e-12));

		// one-vs-rest, 2 outputs, row of class 1: targets (-1, +1), scores (0.5, 0.5):
		// (1.5^2 + 0.5^2) / 2 outputs
		NativeMatrix ovr = NativeMatrix.of(new double[][] { { 0.5, 0.5 } }, 2);
		NativeMatrix target = NativeMatrix.of(new double[][] { { -1, 1 } }, 2);
		assertThat(LossKind.SQUARED_HINGE.evaluate(ovr.ix, target.ix, null, 1, 2, 1.0, new double[] { 1, 2 }))
			.isCloseTo(2 * (2.25 + 0.25) / 2, within(1e-12));
		assertThat(LossKind.HINGE.evaluate(ovr.ix, target.ix, null, 1, 2, 1.0, new double[] { 1, 2 }))
			.isCloseTo(2 * (1.5 + 0.5) / 2, within(1e-12));

		// weighted log losses: label 1 with weight 4, label 0 with weight 0.5
		NativeMatrix labels = NativeMatrix.of(new double[][] { { 1 }, { 0 } }, 1);
		double expected = 4 * Math.log(1 + Math.exp(-2)) + 0.5 * Math.log(1 + Math.exp(-1));
		assertThat(LossKind.BINARY_CROSS_ENTROPY.evaluate(z.ix, labels.ix, null, 2, 1, 0.5, new double[] { 0.5, 4 }))
			.isCloseTo(expected, within(1e-12));
		NativeMatrix small = NativeMatrix.of(new double[][] { { 1, 2, 3 } }, 3);
		NativeMatrix oneHot = NativeMatrix.of(new double[][] { { 0, 0, 1 } }, 3);
		double logSum = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
		assertThat(
				LossKind.SOFTMAX_CROSS_ENTROPY.evaluate(small.ix, oneHot.ix, null, 1, 3, 1.0, new double[] { 1, 1, 7 }))
			.isCloseTo(7 * (logSum - 3), within(1e-12));
	}

	@Test
	void newOptimizersFollowTheirUpdateRules() {
		NativeMatrix p = NativeMatrix.of(new double[][] { { 1.0, -2.0 } }, 2);
		NativeMatrix g = NativeMatrix.of(new double[][] { { 0.5, -4.0 } }, 2);

		ParameterUpdater nesterov = ParameterUpdater.create(OptimizerKind.NESTEROV, 0.1, 0.9, 2);
		nesterov.apply(p, g); // v = -0.05, p += 0.9 * -0.05 - 0.05 = -0.095
		assertThat(p.get(0, 0)).isCloseTo(0.905, within(1e-15));
		nesterov.apply(p, g); // v = -0.095, p += 0.9 * -0.095 - 0.05 = -0.1355
		assertThat(p.get(0, 0)).isCloseTo(0.7695, within(1e-15));

		// RMSProp's first step: s = 0.1 g^2, so the step is lr * g / (sqrt(0.1) |g|) = lr
		// / sqrt(0.1) * sign(g) (up to eps 1e-8)
		NativeMatrix q = NativeMatrix.of(new double[][] { { 1.0, -2.0 } }, 2);
		ParameterUpdater rmsprop = ParameterUpdater.create(OptimizerKind.RMSPROP, 0.01, 0, 2);
		rmsprop.apply(q, g);
		assertThat(q.get(0, 0)).isCloseTo(1.0 - 0.01 / Math.sqrt(0.1), within(1e-8));
		assertThat(q.get(0, 1)).isCloseTo(-2.0 + 0.01 / Math.sqrt(0.1), within(1e-8));
		// second step: s = 0.9 * 0.1 g^2 + 0.1 g^2 = 0.19 g^2
		rmsprop.apply(q, g);
		assertThat(q.get(0, 0)).isCloseTo(1.0 - 0.01 / Math.sqrt(0.1) - 0.01 / Math.sqrt(0.19), within(1e-8));

		// Adagrad: G = g^2, then 2 g^2: steps lr * sign(g) and lr / sqrt(2) * sign(g)
		NativeMatrix r = NativeMatrix.of(new double[][] { { 1.0, -2.0 } }, 2);
		ParameterUpdater adagrad = ParameterUpdater.create(OptimizerKind.ADAGRAD, 0.1, 0, 2);
		adagrad.apply(r, g);
		adagrad.apply(r, g);
		assertThat(r.get(0, 0)).isCloseTo(1.0 - 0.1 - 0.1 / Math.sqrt(2), within(1e-9));
		assertThat(r.get(0, 1)).isCloseTo(-2.0 + 0.1 + 0.1 / Math.sqrt(2), within(1e-9));
	}

	@Test
	void l1SoftThresholdsOnlyPenalizedParametersAfterTheStep() {
		NativeMatrix p = NativeMatrix.of(new double[][] { { 1.0, 0.02, -0.5, 0.02 } }, 4);
		NativeMatrix g = NativeMatrix.of(new double[][] { { 0.0, 0.0, 1.0, 0.0 } }, 4);
		boolean[] penalized = { true, true, true, false };
		// lr 0.1, l1 0.5: threshold 0.05
		ParameterUpdater.create(OptimizerKind.SGD, 0.1, 0, 4, 0.5, penalized).apply(p, g);
		assertThat(p.get(0, 0)).isCloseTo(0.95, within(1e-15));
		assertThat(p.get(0, 1)).isEqualTo(0.0);
		assertThat(p.get(0, 2)).isCloseTo(-0.5 - 0.1 + 0.05, within(1e-15));
		assertThat(p.get(0, 3)).isEqualTo(0.02); // a bias: not penalized
	}

	@Test
	void foldedBatchNormGivesTheInferenceModeForward() {
		int[] sizes = { 3, 6, 4, 2 };
		SplittableRandom random = new SplittableRandom(3);
		double[] params = new double[(int) TrainableNetwork.parameterCount(sizes) + 2 * (6 + 4)];
		for (int i = 0; i < params.length; i++) {
			params[i] = random.nextGaussian() * 0.5 + ((i >= TrainableNetwork.parameterCount(sizes)) ? 0.5 : 0);
		}
		double[][] x = new double[20][3];
		double[][] y = new double[20][2];
		for (int r = 0; r < 20; r++) {
			for (int j = 0; j < 3; j++) {
				x[r][j] = random.nextGaussian() * 2 + 1;
			}
			y[r][r % 2] = 1;
		}
		NativeMatrix xm = NativeMatrix.of(x, 3);
		NativeMatrix ym = NativeMatrix.of(y, 2);
		for (Activation activation : Activation.values()) {
			TrainableNetwork net = new TrainableNetwork(sizes, activation, LossKind.SOFTMAX_CROSS_ENTROPY, 0.0, params,
					null, true, 0.0, null);
			ParameterUpdater sgd = ParameterUpdater.create(OptimizerKind.SGD, 0.05, 0, net.parameterCount());
			for (int step = 0; step < 30; step++) {
				net.forwardBackward(xm, ym); // moves the running statistics away from (0,
												// 1)
				net.step(sgd);
			}
			NetworkWeights folded = net.toWeights(OutputKind.IDENTITY, 1.0, 0.0);
			assertThat(folded.layers()).hasSize(3);
			double[][] expected = net.scores(xm.array).toDoubleMatrix();
			double[][] actual = Network.predictBatch(folded, x, 0);
			NetworkTrainerTest.assertClose(actual, expected, 1e-9);
			// inference mode differs from the batch-statistics forward pass in training
			TrainableNetwork plain = TrainableNetwork.of(folded, LossKind.SOFTMAX_CROSS_ENTROPY);
			assertThat(plain.lossSum(xm, ym)).isCloseTo(net.lossSum(xm, ym), within(1e-9));
		}
	}

	private static void checkGradient(int[] sizes, Activation activation, LossKind loss, double l2) {
		checkGradient(sizes, activation, loss, l2, null, false, 0.0);
	}

	/**
	 * Finite differences against backpropagation; with dropout each evaluation builds a
	 * network with the same seed, so every evaluation draws the same masks.
	 */
	private static void checkGradient(int[] sizes, Activation activation, LossKind loss, double l2,
			double[] classWeights, boolean batchNorm, double dropout) {
		SplittableRandom random = new SplittableRandom(sizes.length * 31L + activation.ordinal() * 7L + loss.ordinal());
		int normCount = 0;
		for (int l = 1; batchNorm && l < sizes.length - 1; l++) {
			normCount += 2 * sizes[l];
		}
		double[] params = new double[(int) TrainableNetwork.parameterCount(sizes) + normCount];
		for (int i = 0; i < params.length; i++) {
			params[i] = random.nextGaussian() * 0.7;
		}
		int inputs = sizes[0];
		int outputs = sizes[sizes.length - 1];
		double[][] x = new double[ROWS][inputs];
		double[][] y = new double[ROWS][outputs];
		for (int r = 0; r < ROWS; r++) {
			for (int j = 0; j < inputs; j++) {
				x[r][j] = random.nextGaussian();
			}
			int label = random.nextInt(Math.max(outputs, 2));
			for (int j = 0; j < outputs; j++) {
				y[r][j] = switch (loss) {
					case MSE -> random.nextGaussian();
					case BINARY_CROSS_ENTROPY -> label;
					case SOFTMAX_CROSS_ENTROPY -> (j == label) ? 1 : 0;
					case HINGE, SQUARED_HINGE -> (outputs == 1) ? (label == 1 ? 1 : -1) : (j == label ? 1 : -1);
				};
			}
		}
		NativeMatrix xm = NativeMatrix.of(x, inputs);
		NativeMatrix ym = NativeMatrix.of(y, outputs);
		TrainableNetwork net = network(sizes, activation, loss, l2, params, classWeights, batchNorm, dropout);
		net.forwardBackward(xm, ym);
		double[] analytic = net.gradientArray();

		double h = 1e-6;
		for (int i = 0; i < params.length; i++) {
			double[] plus = params.clone();
			plus[i] += h;
			double[] minus = params.clone();
			minus[i] -= h;
			double numeric = (objective(network(sizes, activation, loss, l2, plus, classWeights, batchNorm, dropout),
					sizes, loss, l2, plus, xm, ym)
					- objective(network(sizes, activation, loss, l2, minus, classWeights, batchNorm, dropout), sizes,
							loss, l2, minus, xm, ym))
					/ (2 * h);
			assertThat(analytic[i]).as("%s %s parameter %d", activation, loss, i)
				.isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric))));
		}
	}

	/**
	 * The objective whose gradient the trainer follows (see LossKind's gradient
	 * conventions).
	 */
	private static TrainableNetwork network(int[] sizes, Activation activation, LossKind loss, double l2,
			double[] params, double[] classWeights, boolean batchNorm, double dropout) {
		return new TrainableNetwork(sizes, activation, loss, l2, params, classWeights, batchNorm, dropout,
				(dropout > 0) ? new SplittableRandom(5) : null);
	}

	private static double objective(TrainableNetwork net, int[] sizes, LossKind loss, double l2, double[] params,
			NativeMatrix x, NativeMatrix y) {
		double scale = switch (loss) {
			case MSE -> 0.5;
			case HINGE, SQUARED_HINGE -> sizes[sizes.length - 1];
			default -> 1.0;
		};
		double value = scale * net.forwardBackward(x, y) / x.rows;
		int offset = 0;
		double squares = 0;
		for (int l = 0; l + 1 < sizes.length; l++) {
			int w = sizes[l] * sizes[l + 1];
			for (int i = offset; i < offset + w; i++) {
				squares += params[i] * params[i];
			}
			offset += w + sizes[l + 1];
		}
		return value + 0.5 * l2 * squares;
	}

}
