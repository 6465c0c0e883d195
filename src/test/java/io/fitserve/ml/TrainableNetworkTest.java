package io.fitserve.ml;

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
		assertThat(LossKind.BINARY_CROSS_ENTROPY.evaluate(z.ix, labels.ix, grad.ix, 2, 1, 0.5))
			.isCloseTo(expected, within(1e-12));
		assertThat(grad.get(0, 0)).isCloseTo((1 / (1 + Math.exp(-2)) - 1) / 2, within(1e-12));

		// margins 2 (no loss) and -1 (loss 2)
		assertThat(LossKind.HINGE.evaluate(z.ix, signs.ix, grad.ix, 2, 1, 0.5)).isCloseTo(2.0, within(1e-12));
		assertThat(grad.get(0, 0)).isEqualTo(0.0);
		assertThat(grad.get(1, 0)).isCloseTo(-0.5, within(1e-12));

		// huge scores stay finite: right with confidence costs ~0, wrong costs |z|
		NativeMatrix extreme = NativeMatrix.of(new double[][] { { 800 }, { -800 } }, 1);
		assertThat(LossKind.BINARY_CROSS_ENTROPY.evaluate(extreme.ix, labels.ix, null, 2, 1, 0.5)).isEqualTo(0.0);
		NativeMatrix flipped = NativeMatrix.of(new double[][] { { 0 }, { 1 } }, 1);
		assertThat(LossKind.BINARY_CROSS_ENTROPY.evaluate(extreme.ix, flipped.ix, null, 2, 1, 0.5))
			.isCloseTo(1600.0, within(1e-9));
		NativeMatrix softmaxScores = NativeMatrix.of(new double[][] { { 1000, 0, -1000 } }, 3);
		NativeMatrix oneHot = NativeMatrix.of(new double[][] { { 0, 1, 0 } }, 3);
		assertThat(LossKind.SOFTMAX_CROSS_ENTROPY.evaluate(softmaxScores.ix, oneHot.ix, null, 1, 3, 1.0))
			.isCloseTo(1000.0, within(1e-9));
		NativeMatrix small = NativeMatrix.of(new double[][] { { 1, 2, 3 } }, 3);
		double logSum = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
		assertThat(LossKind.SOFTMAX_CROSS_ENTROPY.evaluate(small.ix, oneHot.ix, null, 1, 3, 1.0))
			.isCloseTo(logSum - 2, within(1e-12));
	}

	@Test
	void optimizersFollowTheirUpdateRules() {
		NativeMatrix p = NativeMatrix.of(new double[][] { { 1.0, -2.0 } }, 2);
		NativeMatrix g = NativeMatrix.of(new double[][] { { 0.5, -4.0 } }, 2);

		ParameterUpdater.create(OptimizerKind.SGD, 0.1, 0, 2).apply(p.ix, g.ix);
		assertThat(p.get(0, 0)).isCloseTo(0.95, within(1e-15));
		assertThat(p.get(0, 1)).isCloseTo(-1.6, within(1e-15));

		ParameterUpdater momentum = ParameterUpdater.create(OptimizerKind.MOMENTUM, 0.1, 0.9, 2);
		momentum.apply(p.ix, g.ix); // v = -0.05, p = 0.9
		momentum.apply(p.ix, g.ix); // v = 0.9 * -0.05 - 0.05 = -0.095, p = 0.805
		assertThat(p.get(0, 0)).isCloseTo(0.805, within(1e-15));
		assertThat(p.get(0, 1)).isCloseTo(-0.44, within(1e-15)); // v = 0.4, then 0.76

		// Adam's first bias-corrected step moves each parameter by lr * sign(g)
		ParameterUpdater adam = ParameterUpdater.create(OptimizerKind.ADAM, 0.01, 0, 2);
		adam.apply(p.ix, g.ix);
		assertThat(p.get(0, 0)).isCloseTo(0.805 - 0.01, within(1e-9));
		assertThat(p.get(0, 1)).isCloseTo(-0.44 + 0.01, within(1e-9));
	}

	private static void checkGradient(int[] sizes, Activation activation, LossKind loss, double l2) {
		SplittableRandom random = new SplittableRandom(sizes.length * 31L + activation.ordinal() * 7L + loss.ordinal());
		double[] params = new double[(int) TrainableNetwork.parameterCount(sizes)];
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
					case HINGE -> random.nextBoolean() ? 1 : -1;
				};
			}
		}
		NativeMatrix xm = NativeMatrix.of(x, inputs);
		NativeMatrix ym = NativeMatrix.of(y, outputs);
		TrainableNetwork net = new TrainableNetwork(sizes, activation, loss, l2, params);
		net.forwardBackward(xm, ym);
		double[] analytic = net.gradientArray();

		double h = 1e-6;
		for (int i = 0; i < params.length; i++) {
			double[] plus = params.clone();
			plus[i] += h;
			double[] minus = params.clone();
			minus[i] -= h;
			double numeric = (objective(sizes, activation, loss, l2, plus, xm, ym)
					- objective(sizes, activation, loss, l2, minus, xm, ym)) / (2 * h);
			assertThat(analytic[i]).as("%s %s parameter %d", activation, loss, i)
				.isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric))));
		}
	}

	/** The objective whose gradient the trainer follows (see LossKind's gradient conventions). */
	private static double objective(int[] sizes, Activation activation, LossKind loss, double l2, double[] params,
			NativeMatrix x, NativeMatrix y) {
		TrainableNetwork net = new TrainableNetwork(sizes, activation, loss, l2, params);
		double scale = switch (loss) {
			case MSE -> 0.5;
			case HINGE -> sizes[sizes.length - 1];
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
