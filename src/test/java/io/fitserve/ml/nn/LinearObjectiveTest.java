package io.fitserve.ml.nn;

import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.linalg.NativeMatrix;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The plain-Java linear objective against the ND4J network's forward/backward pass it
 * replaces for L-BFGS.
 */
class LinearObjectiveTest {

	/** More than four chunks, so the chunks run in parallel, with a short last chunk. */
	private static final int ROWS = 4 * LinearObjective.CHUNK_ROWS + 777;

	private static final int INPUTS = 7;

	@Test
	void matchesTheNetworkPassForEveryLinearLoss() {
		check(LossKind.MSE, 1, null);
		check(LossKind.BINARY_CROSS_ENTROPY, 1, new double[] { 0.7, 2.5 });
		check(LossKind.SOFTMAX_CROSS_ENTROPY, 3, new double[] { 1.0, 0.5, 3.0 });
		check(LossKind.HINGE, 1, null);
		check(LossKind.SQUARED_HINGE, 3, null);
	}

	private static void check(LossKind loss, int outputs, double[] classWeights) {
		SplittableRandom random = new SplittableRandom(11);
		double[] x = new double[ROWS * INPUTS];
		for (int i = 0; i < x.length; i++) {
			x[i] = random.nextGaussian();
		}
		double[] y = new double[ROWS * outputs];
		for (int r = 0; r < ROWS; r++) {
			int label = random.nextInt(Math.max(2, outputs));
			for (int o = 0; o < outputs; o++) {
				y[r * outputs + o] = switch (loss) {
					case MSE -> random.nextGaussian();
					case BINARY_CROSS_ENTROPY -> label;
					case SOFTMAX_CROSS_ENTROPY -> o == label ? 1 : 0;
					case HINGE, SQUARED_HINGE -> (outputs == 1 ? label == 1 : o == label) ? 1 : -1;
				};
			}
		}
		double l2 = 0.03;
		int count = (INPUTS + 1) * outputs;
		double[] theta = new double[count];
		for (int i = 0; i < count; i++) {
			theta[i] = 0.3 * random.nextGaussian();
		}

		TrainableNetwork net = new TrainableNetwork(new int[] { INPUTS, outputs }, Activation.RELU, loss, l2,
				theta.clone(), classWeights, false, 0.0, null);
		double expectedLoss;
		double[] expectedGrad;
		try (NativeMatrix.Owner owner = new NativeMatrix.Owner()) {
			expectedLoss = net.forwardBackward(owner.add(NativeMatrix.of(x, ROWS, INPUTS)),
					owner.add(NativeMatrix.of(y, ROWS, outputs)));
			expectedGrad = net.gradientArray();
		}

		LinearObjective objective = new LinearObjective(new DenseRows(x, ROWS, INPUTS), y, ROWS, INPUTS, outputs, loss,
				classWeights, l2);
		double[] grad = new double[count];
		double actualLoss = objective.dataLossAndGradient(theta, grad);

		assertThat(actualLoss).as("%s loss", loss).isCloseTo(expectedLoss, within(1e-9 * Math.abs(expectedLoss)));
		for (int i = 0; i < count; i++) {
			assertThat(grad[i]).as("%s gradient %d", loss, i).isCloseTo(expectedGrad[i], within(1e-10));
		}
		// the same chunks are summed in the same order whatever the threads did
		double[] again = new double[count];
		assertThat(objective.dataLossAndGradient(theta, again)).isEqualTo(actualLoss);
		assertThat(again).containsExactly(grad);
		// the same rows in blocks (1,000 rows: chunks straddle blocks, the last block is
		// short) give the same loss and gradient bit for bit
		DenseRows blocked = DenseRows.allocate(ROWS, INPUTS, 1000);
		for (int r = 0; r < ROWS; r++) {
			System.arraycopy(x, r * INPUTS, blocked.arrayOf(r), blocked.offset(r), INPUTS);
		}
		assertThat(blocked.blockCount()).isEqualTo((ROWS + 999) / 1000);
		assertThat(blocked.block(blocked.blockCount() - 1)).hasSize((ROWS % 1000) * INPUTS);
		double[] fromBlocks = new double[count];
		LinearObjective onBlocks = new LinearObjective(blocked, y, ROWS, INPUTS, outputs, loss, classWeights, l2);
		assertThat(onBlocks.dataLossAndGradient(theta, fromBlocks)).isEqualTo(actualLoss);
		assertThat(fromBlocks).containsExactly(grad);
	}

}
