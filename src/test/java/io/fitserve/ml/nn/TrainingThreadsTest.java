package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.SyntheticData;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.data.Blocks;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fitserve.compute.training-threads ({@link Blocks#limitThreads}): one thread trains the
 * same model, bit for bit, as every core, and an MLP's second part of each batch then
 * stays on the job's thread.
 */
class TrainingThreadsTest {

	private static final double[][] NO_ROWS = new double[0][];

	private static final double[] NO_TARGETS = new double[0];

	@AfterEach
	void liftTheCap() {
		Blocks.limitThreads(0);
	}

	@Test
	void oneThreadTrainsTheSameModelAsEveryCore() {
		// 20,000 rows: L-BFGS's passes run in chunks of 4,096 rows on every core; MLP
		// batches of 512 rows are cut in two parts (256 rows x 322 parameters each)
		SyntheticData train = SyntheticData.separable(20_000, 0.3, 41);
		TrainingConfig lbfgs = NetworkTrainerTest.config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION,
				OptimizerKind.LBFGS, 0.0, 30, 0);
		TrainingConfig mlp = NetworkTrainerTest.mlp(Task.CLASSIFICATION, List.of(64), Activation.RELU, 0.01, 2, 512, 9);
		for (TrainingConfig config : List.of(lbfgs, mlp)) {
			AtomicBoolean helperSeen = new AtomicBoolean();
			TrainingResult everyCore = NetworkTrainer.train(config, train.x, train.y, 2, NO_ROWS, NO_TARGETS,
					helperWatch(helperSeen));
			boolean helperWithEveryCore = helperSeen.get();

			Blocks.limitThreads(1);
			assertThat(Blocks.threads()).isEqualTo(1);
			helperSeen.set(false);
			TrainingResult oneThread = NetworkTrainer.train(config, train.x, train.y, 2, NO_ROWS, NO_TARGETS,
					helperWatch(helperSeen));
			Blocks.limitThreads(0);

			assertThat(helperSeen).as("%s: a helper thread with one thread", config.algorithm()).isFalse();
			if (config.algorithm() == Algorithm.MLP && Blocks.threadsAvailable() > 1) {
				assertThat(helperWithEveryCore).as("the MLP's helper thread with every core").isTrue();
			}
			assertThat(oneThread.history()).isEqualTo(everyCore.history());
			assertThat(oneThread.weights().layers()).hasSameSizeAs(everyCore.weights().layers());
			for (int l = 0; l < everyCore.weights().layers().size(); l++) {
				DenseLayer expected = everyCore.weights().layers().get(l);
				DenseLayer actual = oneThread.weights().layers().get(l);
				assertThat(actual.weights()).as("%s layer %d", config.algorithm(), l)
					.containsExactly(expected.weights());
				assertThat(actual.bias()).containsExactly(expected.bias());
			}
			// a model that learned something: the last loss well below log 2
			assertThat(everyCore.history().get(everyCore.history().size() - 1).trainLoss()).isLessThan(0.5);
		}
	}

	/** Notes at each epoch whether the training thread's "-half" helper is alive. */
	private static TrainingListener helperWatch(AtomicBoolean seen) {
		return (loss, epochs) -> {
			String helper = Thread.currentThread().getName() + "-half";
			if (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(helper))) {
				seen.set(true);
			}
			return true;
		};
	}

}
