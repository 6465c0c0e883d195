package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.SyntheticData;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.data.DenseRows;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class NetworkTrainerTest {

	private static final double[][] NO_ROWS = new double[0][];

	private static final double[] NO_TARGETS = new double[0];

	private static final double[][] THREE_CENTERS = { { 0, 4 }, { -4, -2 }, { 4, -2 } };

	static TrainingConfig config(Algorithm algorithm, Task task, OptimizerKind optimizer, double learningRate,
			int epochs, int batchSize) {
		return new TrainingConfig(algorithm, task, optimizer, learningRate, epochs, batchSize, 0.0, List.of(),
				Activation.RELU, 0, 0.9, 42L);
	}

	static TrainingConfig mlp(Task task, List<Integer> hidden, Activation activation, double learningRate, int epochs,
			int batchSize, long seed) {
		return new TrainingConfig(Algorithm.MLP, task, OptimizerKind.ADAM, learningRate, epochs, batchSize, 0.0, hidden,
				activation, 0, 0.9, seed);
	}

	private static TrainingResult fit(TrainingConfig config, SyntheticData train, int numClasses) {
		return NetworkTrainer.train(config, train.x, train.y, numClasses, NO_ROWS, NO_TARGETS, null);
	}

	@Test
	void linearRegressionWithAdamRecoversKnownCoefficients() {
		SyntheticData data = SyntheticData.linear(500, 0.01, 1);
		TrainingResult result = fit(
				config(Algorithm.LINEAR_REGRESSION, Task.REGRESSION, OptimizerKind.ADAM, 0.05, 300, 0), data, 0);

		DenseLayer layer = result.weights().layers().get(0);
		assertThat(result.weights().layers()).hasSize(1);
		assertThat(result.weights().output()).isEqualTo(OutputKind.IDENTITY);
		assertThat(layer.weights()[0]).isCloseTo(3.0, within(0.02));
		assertThat(layer.weights()[1]).isCloseTo(-2.0, within(0.02));
		assertThat(layer.bias()[0]).isCloseTo(0.5, within(0.02));
		// reported loss is the MSE in original units: about the noise variance 1e-4
		assertThat(result.history()).hasSize(300);
		assertThat(result.history().get(299).trainLoss()).isLessThan(1e-3);
		assertThat(result.history().get(0).trainLoss()).isGreaterThan(10.0);
		assertThat(result.history().get(299).validationLoss()).isNaN();
		assertThat(result.bestEpoch()).isEqualTo(300);
		assertThat(result.stoppedEarly()).isFalse();
		assertThat(result.cancelled()).isFalse();
	}

	@Test
	void linearRegressionWithSgdAndMomentumMiniBatches() {
		SyntheticData data = SyntheticData.linear(500, 0.01, 2);
		for (OptimizerKind optimizer : List.of(OptimizerKind.SGD, OptimizerKind.MOMENTUM)) {
			TrainingResult result = fit(config(Algorithm.LINEAR_REGRESSION, Task.REGRESSION, optimizer, 0.05, 60, 32),
					data, 0);
			DenseLayer layer = result.weights().layers().get(0);
			assertThat(layer.weights()[0]).as(optimizer.name()).isCloseTo(3.0, within(0.02));
			assertThat(layer.weights()[1]).as(optimizer.name()).isCloseTo(-2.0, within(0.02));
			assertThat(layer.bias()[0]).as(optimizer.name()).isCloseTo(0.5, within(0.02));
		}
	}

	@Test
	void reportedValidationLossIsTheMseOfTheReturnedWeightsInOriginalUnits() {
		SyntheticData train = SyntheticData.linear(200, 0.5, 3);
		SyntheticData validation = SyntheticData.linear(100, 0.5, 4);
		TrainingResult result = NetworkTrainer.train(
				config(Algorithm.LINEAR_REGRESSION, Task.REGRESSION, OptimizerKind.ADAM, 0.05, 50, 0), train.x, train.y,
				0, validation.x, validation.y, null);

		EpochLoss last = result.history().get(result.history().size() - 1);
		assertThat(last.validationLoss()).isCloseTo(SyntheticData.mse(result.weights(), validation), within(1e-9));
		assertThat(last.validationLoss()).isCloseTo(0.25, within(0.1));
	}

	@Test
	void logisticRegressionSeparatesTwoClasses() {
		SyntheticData train = SyntheticData.separable(400, 0.2, 5);
		SyntheticData test = SyntheticData.separable(400, 0.2, 6);
		TrainingResult result = fit(
				config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.05, 100, 32), train,
				2);

		assertThat(result.weights().output()).isEqualTo(OutputKind.SIGMOID);
		assertThat(result.weights().layers().get(0).outputs()).isEqualTo(1);
		assertThat(SyntheticData.accuracy(result.weights(), test, 2)).isGreaterThan(0.95);
		List<EpochLoss> history = result.history();
		assertThat(history.get(0).trainLoss()).isLessThan(Math.log(2));
		assertThat(history.get(history.size() - 1).trainLoss()).isLessThan(0.15);
	}

	@Test
	void logisticRegressionSeparatesThreeBlobs() {
		SyntheticData train = SyntheticData.blobs(THREE_CENTERS, 100, 7);
		SyntheticData test = SyntheticData.blobs(THREE_CENTERS, 100, 8);
		TrainingResult result = fit(
				config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.05, 100, 32), train,
				3);

		assertThat(result.weights().output()).isEqualTo(OutputKind.SOFTMAX);
		assertThat(result.weights().layers().get(0).outputs()).isEqualTo(3);
		assertThat(SyntheticData.accuracy(result.weights(), test, 3)).isGreaterThan(0.9);
		double[] p = Network.predict(result.weights(), new double[] { 0, 4 }, 3);
		assertThat(p[0]).isGreaterThan(0.9);
		assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-12));
	}

	@Test
	void linearSvmSeparatesTwoClasses() {
		SyntheticData train = SyntheticData.separable(400, 0.2, 9);
		SyntheticData test = SyntheticData.separable(400, 0.2, 10);
		TrainingResult result = fit(
				config(Algorithm.LINEAR_SVM, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.05, 100, 32), train, 2);

		assertThat(result.weights().output()).isEqualTo(OutputKind.SVM);
		assertThat(result.weights().layers().get(0).outputs()).isEqualTo(1);
		assertThat(SyntheticData.accuracy(result.weights(), test, 2)).isGreaterThan(0.95);
		// hinge loss starts at 1 for the zero-initialized model
		assertThat(result.history().get(result.history().size() - 1).trainLoss()).isLessThan(0.1);
	}

	@Test
	void linearSvmSeparatesThreeBlobsOneVersusRest() {
		SyntheticData train = SyntheticData.blobs(THREE_CENTERS, 100, 11);
		SyntheticData test = SyntheticData.blobs(THREE_CENTERS, 100, 12);
		TrainingResult result = fit(
				config(Algorithm.LINEAR_SVM, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.05, 100, 32), train, 3);

		assertThat(result.weights().layers().get(0).outputs()).isEqualTo(3);
		assertThat(SyntheticData.accuracy(result.weights(), test, 3)).isGreaterThan(0.95);
	}

	@Test
	void mlpLearnsXorWhereLogisticRegressionCannot() {
		SyntheticData train = SyntheticData.xor(400, 13);
		SyntheticData test = SyntheticData.xor(400, 14);
		TrainingResult mlp = fit(mlp(Task.CLASSIFICATION, List.of(16), Activation.RELU, 0.01, 200, 32, 1), train, 2);
		TrainingResult logistic = fit(
				config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.05, 100, 32), train,
				2);

		assertThat(mlp.weights().output()).isEqualTo(OutputKind.SOFTMAX);
		assertThat(mlp.weights().layers()).hasSize(2);
		assertThat(mlp.weights().layers().get(1).outputs()).isEqualTo(2);
		assertThat(SyntheticData.accuracy(mlp.weights(), test, 2)).isGreaterThan(0.9);
		assertThat(SyntheticData.accuracy(logistic.weights(), test, 2)).isBetween(0.4, 0.75);
	}

	@Test
	void mlpWithTanhAndSigmoidLearnsXor() {
		SyntheticData train = SyntheticData.xor(400, 15);
		SyntheticData test = SyntheticData.xor(400, 16);
		for (Activation activation : List.of(Activation.TANH, Activation.SIGMOID)) {
			TrainingResult mlp = fit(mlp(Task.CLASSIFICATION, List.of(16), activation, 0.02, 200, 32, 1), train, 2);
			assertThat(SyntheticData.accuracy(mlp.weights(), test, 2)).as(activation.name()).isGreaterThan(0.9);
		}
	}

	@Test
	void mlpRegressionFitsSquare() {
		SyntheticData train = SyntheticData.square(400, 0.05, 17);
		SyntheticData test = SyntheticData.square(200, 0.05, 18);
		TrainingResult result = fit(mlp(Task.REGRESSION, List.of(32), Activation.RELU, 0.01, 200, 32, 1), train, 0);

		assertThat(result.weights().output()).isEqualTo(OutputKind.IDENTITY);
		assertThat(SyntheticData.r2(result.weights(), test)).isGreaterThan(0.9);
	}

	/**
	 * A large encoded matrix comes in blocks of rows: every way of reading it (the L-BFGS
	 * objective, mini-batch gathers, the full-batch native copy, validation) gives the
	 * same model bit for bit as one array.
	 */
	@Test
	void rowsInBlocksTrainTheSameModelAsOneArray() {
		SyntheticData train = SyntheticData.separable(1000, 0.4, 21);
		SyntheticData validation = SyntheticData.separable(300, 0.4, 22);
		TrainingConfig lbfgs = config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.LBFGS, 0.0, 100,
				0);
		TrainingConfig miniBatches = mlp(Task.CLASSIFICATION, List.of(6), Activation.TANH, 0.01, 5, 64, 3);
		TrainingConfig fullBatch = mlp(Task.CLASSIFICATION, List.of(6), Activation.TANH, 0.01, 5, 0, 3);
		for (TrainingConfig config : List.of(lbfgs, miniBatches, fullBatch)) {
			TrainingResult whole = NetworkTrainer.train(config, DenseRows.of(train.x), train.y, 2,
					DenseRows.of(validation.x), validation.y, null);
			TrainingResult blocked = NetworkTrainer.train(config, blocks(train.x, 77), train.y, 2,
					blocks(validation.x, 50), validation.y, null);
			for (int l = 0; l < whole.weights().layers().size(); l++) {
				assertThat(blocked.weights().layers().get(l).weights()).as("%s layer %d", config.optimizer(), l)
					.containsExactly(whole.weights().layers().get(l).weights());
				assertThat(blocked.weights().layers().get(l).bias())
					.containsExactly(whole.weights().layers().get(l).bias());
			}
			assertThat(blocked.history()).isEqualTo(whole.history());
		}
	}

	private static DenseRows blocks(double[][] rows, int blockRows) {
		DenseRows out = DenseRows.allocate(rows.length, rows[0].length, blockRows);
		assertThat(out.contiguous()).isFalse();
		for (int r = 0; r < rows.length; r++) {
			System.arraycopy(rows[r], 0, out.arrayOf(r), out.offset(r), rows[r].length);
		}
		return out;
	}

	@Test
	void sameSeedGivesIdenticalWeightsAndOtherSeedDiffers() {
		SyntheticData train = SyntheticData.xor(200, 19);
		TrainingResult first = fit(mlp(Task.CLASSIFICATION, List.of(8, 4), Activation.TANH, 0.01, 20, 16, 7), train, 2);
		TrainingResult second = fit(mlp(Task.CLASSIFICATION, List.of(8, 4), Activation.TANH, 0.01, 20, 16, 7), train,
				2);
		TrainingResult other = fit(mlp(Task.CLASSIFICATION, List.of(8, 4), Activation.TANH, 0.01, 20, 16, 8), train, 2);

		for (int l = 0; l < 3; l++) {
			DenseLayer a = first.weights().layers().get(l);
			DenseLayer b = second.weights().layers().get(l);
			assertThat(a.weights()).isEqualTo(b.weights());
			assertThat(a.bias()).isEqualTo(b.bias());
			assertThat(a.weights()).isNotEqualTo(other.weights().layers().get(l).weights());
		}
		assertThat(first.history()).isEqualTo(second.history());
	}

	@Test
	void earlyStoppingRestoresTheBestEpoch() {
		SyntheticData train = SyntheticData.noisyWide(30, 20, 1.0, 20);
		SyntheticData validation = SyntheticData.noisyWide(200, 20, 1.0, 21);
		TrainingConfig config = new TrainingConfig(Algorithm.MLP, Task.REGRESSION, OptimizerKind.ADAM, 0.01, 500, 0,
				0.0, List.of(64), Activation.RELU, 10, 0.9, 3L);
		TrainingResult result = NetworkTrainer.train(config, train.x, train.y, 0, validation.x, validation.y, null);

		assertThat(result.stoppedEarly()).isTrue();
		assertThat(result.cancelled()).isFalse();
		assertThat(result.history().size()).isLessThan(500).isEqualTo(result.bestEpoch() + 10);
		EpochLoss best = result.history().get(result.bestEpoch() - 1);
		for (EpochLoss loss : result.history()) {
			assertThat(loss.validationLoss()).isGreaterThanOrEqualTo(best.validationLoss());
		}
		// the returned weights are those of the best epoch
		assertThat(SyntheticData.mse(result.weights(), validation)).isCloseTo(best.validationLoss(), within(1e-9));
	}

	@Test
	void withoutPatienceValidationIsReportedButTrainingRunsToTheEnd() {
		SyntheticData train = SyntheticData.noisyWide(30, 20, 1.0, 20);
		SyntheticData validation = SyntheticData.noisyWide(200, 20, 1.0, 21);
		TrainingConfig config = new TrainingConfig(Algorithm.MLP, Task.REGRESSION, OptimizerKind.ADAM, 0.01, 40, 0, 0.0,
				List.of(64), Activation.RELU, 0, 0.9, 3L);
		TrainingResult result = NetworkTrainer.train(config, train.x, train.y, 0, validation.x, validation.y, null);

		assertThat(result.history()).hasSize(40).allSatisfy(l -> assertThat(l.validationLoss()).isFinite());
		assertThat(result.bestEpoch()).isEqualTo(40);
		assertThat(result.stoppedEarly()).isFalse();
	}

	@Test
	void listenerSeesEveryEpochAndCanStopAfterOne() {
		SyntheticData train = SyntheticData.separable(100, 0.2, 22);
		List<EpochLoss> seen = new ArrayList<>();
		TrainingResult result = NetworkTrainer.train(
				config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.SGD, 0.1, 50, 10), train.x,
				train.y, 2, NO_ROWS, NO_TARGETS, (loss, epochs) -> {
					assertThat(epochs).isEqualTo(50);
					seen.add(loss);
					return loss.epoch() < 3;
				});

		assertThat(result.cancelled()).isTrue();
		assertThat(result.stoppedEarly()).isFalse();
		assertThat(result.history()).hasSize(3).isEqualTo(seen);
		assertThat(seen).extracting(EpochLoss::epoch).containsExactly(1, 2, 3);
		assertThat(result.bestEpoch()).isEqualTo(3);
	}

	@Test
	void cancelledPollStopsBetweenMiniBatches() {
		SyntheticData train = SyntheticData.separable(100, 0.2, 23);
		int[] polls = { 0 };
		TrainingResult result = NetworkTrainer.train(
				config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.SGD, 0.1, 50, 10), train.x,
				train.y, 2, NO_ROWS, NO_TARGETS, new TrainingListener() {
					@Override
					public boolean onEpoch(EpochLoss loss, int epochs) {
						return true;
					}

					@Override
					public boolean cancelled() {
						return ++polls[0] > 25;
					}
				});

		// 10 batches per epoch: polls 1-25 let 2.5 epochs run, poll 26 stops in the third
		// epoch
		assertThat(polls[0]).isEqualTo(26);
		assertThat(result.cancelled()).isTrue();
		assertThat(result.history()).hasSize(2);
		assertThat(result.weights().layers().get(0).weights()).isNotEqualTo(new double[] { 0, 0 });
	}

	@Test
	void networkPredictionsMatchTheTrainersNd4jForwardPass() {
		SyntheticData train = SyntheticData.blobs(THREE_CENTERS, 30, 24);
		for (Activation activation : Activation.values()) {
			TrainingResult result = fit(mlp(Task.CLASSIFICATION, List.of(7, 5), activation, 0.05, 5, 16, 5), train, 3);
			double[][] expected = NetworkTrainer.predictWithNd4j(result.weights(), train.x, 3);
			double[][] actual = Network.predictBatch(result.weights(), train.x, 3);
			assertClose(actual, expected, 1e-9);
		}
		for (Algorithm algorithm : List.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.LINEAR_SVM)) {
			for (int classes : new int[] { 2, 3 }) {
				SyntheticData data = (classes == 2) ? SyntheticData.separable(60, 0.2, 25) : train;
				TrainingResult result = fit(config(algorithm, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.05, 5, 16),
						data, classes);
				assertClose(Network.predictBatch(result.weights(), data.x, classes),
						NetworkTrainer.predictWithNd4j(result.weights(), data.x, classes), 1e-9);
			}
		}
		SyntheticData square = SyntheticData.square(50, 0.1, 26);
		TrainingResult regression = fit(mlp(Task.REGRESSION, List.of(6), Activation.TANH, 0.05, 5, 16, 5), square, 0);
		assertClose(Network.predictBatch(regression.weights(), square.x, 0),
				NetworkTrainer.predictWithNd4j(regression.weights(), square.x, 0), 1e-9);
	}

	@Test
	void rejectsInconsistentInput() {
		SyntheticData data = SyntheticData.separable(20, 0.2, 27);
		TrainingConfig logistic = config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.SGD, 0.1, 5,
				10);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkTrainer.train(logistic, data.x, data.y, 1, NO_ROWS, NO_TARGETS, null));
		double[] badLabels = data.y.clone();
		badLabels[0] = 2;
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkTrainer.train(logistic, data.x, badLabels, 2, NO_ROWS, NO_TARGETS, null));
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkTrainer.train(
				config(Algorithm.LINEAR_REGRESSION, Task.CLASSIFICATION, OptimizerKind.SGD, 0.1, 5, 10), data.x, data.y,
				2, NO_ROWS, NO_TARGETS, null));
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkTrainer.train(logistic, data.x, data.y, 2,
				new double[][] { { 1, 2, 3 } }, new double[] { 0 }, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkTrainer.train(logistic, NO_ROWS, NO_TARGETS, 2, NO_ROWS, NO_TARGETS, null));
	}

	static void assertClose(double[][] actual, double[][] expected, double tolerance) {
		assertThat(actual.length).isEqualTo(expected.length);
		for (int r = 0; r < actual.length; r++) {
			assertThat(actual[r].length).isEqualTo(expected[r].length);
			for (int c = 0; c < actual[r].length; c++) {
				assertThat(actual[r][c]).isCloseTo(expected[r][c], within(tolerance));
			}
		}
	}

}
