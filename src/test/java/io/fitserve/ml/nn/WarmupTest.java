package io.fitserve.ml.nn;

import io.fitserve.ml.EpochLoss;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up trains what the first jobs will run: an MLP whose batches, tail included,
 * are cut in two parts, for about 3,000 batches, and a logistic regression by L-BFGS; and
 * it runs once per process.
 */
class WarmupTest {

	@Test
	void trainsAnMlpInTwoPartBatchesAndALogisticRegression() {
		List<TrainingResult> results = Warmup.run();

		TrainingResult mlp = results.get(0);
		assertThat(mlp.history()).hasSize(Warmup.MLP_EPOCHS);
		EpochLoss first = mlp.history().get(0);
		EpochLoss last = mlp.history().get(Warmup.MLP_EPOCHS - 1);
		// the rule is learnable: the held-out loss falls well below log 2 = 0.693
		assertThat(last.validationLoss()).isLessThan(0.45).isLessThan(first.validationLoss());
		assertThat(mlp.weights().layers()).hasSize(2);

		TrainingResult lbfgs = results.get(1);
		assertThat(lbfgs.history()).isNotEmpty().hasSizeLessThanOrEqualTo(Warmup.LINEAR_ITERATIONS);
		assertThat(lbfgs.weights().layers()).hasSize(1);
		assertThat(lbfgs.history().get(lbfgs.history().size() - 1).validationLoss()).isLessThan(0.45);

		// 3,949 training rows: 19 batches of 200 and a tail of 149, each cut in two parts
		TrainableNetwork shape = new TrainableNetwork(new int[] { Warmup.FEATURES, 64, 1 }, Activation.RELU,
				LossKind.BINARY_CROSS_ENTROPY, 0.0,
				new double[(int) TrainableNetwork.parameterCount(new int[] { Warmup.FEATURES, 64, 1 })]);
		int training = Warmup.MLP_ROWS - Warmup.MLP_ROWS / 40;
		assertThat(training % 200).isEqualTo(149);
		assertThat(SplitBatches.parts(shape, 200)).isEqualTo(2);
		assertThat(SplitBatches.parts(shape, training % 200)).isEqualTo(2);
		// the helper of the two-part batches stopped with the training
		String helper = Thread.currentThread().getName() + "-half";
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(helper));
	}

	@Test
	void runsOncePerProcess() {
		Warmup.runOnce();
		assertThat(Warmup.runOnce()).isFalse();
	}

}
