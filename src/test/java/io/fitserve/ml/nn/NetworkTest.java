package io.fitserve.ml.nn;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class NetworkTest {

	/** z = 1*x1 + 2*x2 + 0.5: 3.5 for x = (1, 1). */
	private static final DenseLayer ONE_UNIT = new DenseLayer(2, 1, new double[] { 1, 2 }, new double[] { 0.5 });

	/** Three units: scores (1, 2, 3) for x = (1, 0). */
	private static final DenseLayer THREE_UNITS = new DenseLayer(2, 3, new double[] { 1, 2, 3, 9, 9, 9 },
			new double[] { 0, 0, 0 });

	private static double sigmoid(double z) {
		return 1 / (1 + Math.exp(-z));
	}

	@Test
	void identityReturnsTheScore() {
		NetworkWeights net = new NetworkWeights(List.of(ONE_UNIT), Activation.RELU, OutputKind.IDENTITY);
		assertThat(Network.predict(net, new double[] { 1, 1 }, 0)).containsExactly(3.5);
		assertThat(Network.predict(net, new double[] { -1, 0 }, 0)).containsExactly(-0.5);
	}

	@Test
	void oneUnitSigmoidAndSvmGiveTwoClassProbabilities() {
		for (OutputKind kind : List.of(OutputKind.SIGMOID, OutputKind.SVM)) {
			NetworkWeights net = new NetworkWeights(List.of(ONE_UNIT), Activation.RELU, kind);
			double[] p = Network.predict(net, new double[] { 1, 1 }, 2);
			assertThat(p).hasSize(2);
			assertThat(p[1]).isCloseTo(sigmoid(3.5), within(1e-15));
			assertThat(p[0]).isCloseTo(1 - sigmoid(3.5), within(1e-15));
			// very negative scores do not overflow
			double[] far = Network.predict(net, new double[] { -500, -500 }, 2);
			assertThat(far[1]).isGreaterThanOrEqualTo(0).isLessThan(1e-300);
			assertThat(far[0]).isEqualTo(1.0);
		}
	}

	@Test
	void softmaxAndMulticlassSvmGiveSoftmaxOverScores() {
		double sum = Math.exp(1) + Math.exp(2) + Math.exp(3);
		for (OutputKind kind : List.of(OutputKind.SOFTMAX, OutputKind.SVM)) {
			NetworkWeights net = new NetworkWeights(List.of(THREE_UNITS), Activation.RELU, kind);
			double[] p = Network.predict(net, new double[] { 1, 0 }, 3);
			assertThat(p[0]).isCloseTo(Math.exp(1) / sum, within(1e-15));
			assertThat(p[1]).isCloseTo(Math.exp(2) / sum, within(1e-15));
			assertThat(p[2]).isCloseTo(Math.exp(3) / sum, within(1e-15));
			// large scores stay finite
			double[] large = Network.predict(net, new double[] { 500, 0 }, 3);
			assertThat(large[2]).isCloseTo(1.0, within(1e-12));
		}
	}

	@Test
	void hiddenLayerAppliesTheActivation() {
		// hidden: h1 = x, h2 = -x; output: h1 + h2 + 0.25
		DenseLayer hidden = new DenseLayer(1, 2, new double[] { 1, -1 }, new double[] { 0, 0 });
		DenseLayer output = new DenseLayer(2, 1, new double[] { 1, 1 }, new double[] { 0.25 });
		double x = 0.8;
		assertThat(predict(hidden, output, Activation.RELU, x)).isCloseTo(0.8 + 0.25, within(1e-15));
		assertThat(predict(hidden, output, Activation.TANH, x)).isCloseTo(0.25, within(1e-15));
		assertThat(predict(hidden, output, Activation.SIGMOID, x)).isCloseTo(sigmoid(0.8) + sigmoid(-0.8) + 0.25,
				within(1e-15));
	}

	@Test
	void predictBatchMatchesPredictRowByRow() {
		NetworkWeights net = new NetworkWeights(List.of(THREE_UNITS), Activation.RELU, OutputKind.SOFTMAX);
		double[][] rows = { { 1, 0 }, { 0, 1 }, { -1, 2 } };
		double[][] batch = Network.predictBatch(net, rows, 3);
		for (int r = 0; r < rows.length; r++) {
			assertThat(batch[r]).containsExactly(Network.predict(net, rows[r], 3));
		}
	}

	@Test
	void oneUnitBatchesGiveEachRowTheBitsOfItsOwnPrediction() {
		// weights and inputs of very different magnitudes: a score summed in any other
		// order would round differently
		int d = 50;
		java.util.SplittableRandom random = new java.util.SplittableRandom(11);
		double[] w = new double[d];
		for (int i = 0; i < d; i++) {
			w[i] = random.nextGaussian() * Math.pow(10, random.nextInt(-6, 7));
		}
		DenseLayer layer = new DenseLayer(d, 1, w, new double[] { 0.25 });
		// 11 rows: two groups of four and three left over
		double[][] rows = new double[11][d];
		for (double[] row : rows) {
			for (int i = 0; i < d; i++) {
				row[i] = random.nextGaussian() * Math.pow(10, random.nextInt(-6, 7));
			}
		}
		double sum = 0.0;
		for (int i = 0; i < d; i++) {
			sum += rows[9][i] * w[i];
		}
		double expectedScore = sum + 0.25;
		for (OutputKind kind : new OutputKind[] { OutputKind.IDENTITY, OutputKind.SIGMOID, OutputKind.SVM }) {
			NetworkWeights net = new NetworkWeights(List.of(layer), null, kind);
			int classes = kind == OutputKind.IDENTITY ? 0 : 2;
			double[][] batch = Network.predictBatch(net, rows, classes);
			assertThat(batch).hasNumberOfRows(rows.length);
			for (int r = 0; r < rows.length; r++) {
				assertThat(batch[r]).as("%s row %d", kind, r).containsExactly(Network.predict(net, rows[r], classes));
			}
			if (kind == OutputKind.IDENTITY) {
				assertThat(batch[9]).containsExactly(expectedScore);
			}
		}
		NetworkWeights net = new NetworkWeights(List.of(layer), null, OutputKind.SIGMOID);
		double[][] ragged = rows.clone();
		ragged[5] = new double[d - 1];
		assertThatIllegalArgumentException().isThrownBy(() -> Network.predictBatch(net, ragged, 2))
			.withMessage("expected 50 input values but got 49");
	}

	@Test
	void rejectsWrongInputWidthAndClassCount() {
		NetworkWeights net = new NetworkWeights(List.of(THREE_UNITS), Activation.RELU, OutputKind.SOFTMAX);
		assertThatIllegalArgumentException().isThrownBy(() -> Network.predict(net, new double[] { 1 }, 3));
		assertThatIllegalArgumentException().isThrownBy(() -> Network.predict(net, new double[] { 1, 0 }, 2));
		NetworkWeights broken = new NetworkWeights(
				List.of(new DenseLayer(2, 3, new double[] { 1, 2 }, new double[] { 0, 0, 0 })), Activation.RELU,
				OutputKind.SOFTMAX);
		assertThatIllegalArgumentException().isThrownBy(() -> Network.predict(broken, new double[] { 1, 0 }, 3));
	}

	private static double predict(DenseLayer hidden, DenseLayer output, Activation activation, double x) {
		NetworkWeights net = new NetworkWeights(List.of(hidden, output), activation, OutputKind.IDENTITY);
		return Network.predict(net, new double[] { x }, 0)[0];
	}

}
