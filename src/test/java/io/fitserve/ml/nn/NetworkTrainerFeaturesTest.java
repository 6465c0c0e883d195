package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.SyntheticData;
import io.fitserve.ml.Task;
import io.fitserve.ml.eval.Metrics;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Optimizers, schedules, class weights, dropout, batch norm and early-stopping monitors
 * of NetworkTrainer.
 */
class NetworkTrainerFeaturesTest {

	private static final double[][] NO_ROWS = new double[0][];

	private static final double[] NO_TARGETS = new double[0];

	/**
	 * A full configuration with the defaults of the first release, to be modified per
	 * test.
	 */
	static TrainingConfig config(Algorithm algorithm, Task task, OptimizerKind optimizer, double learningRate,
			int epochs, int batchSize) {
		return new TrainingConfig(algorithm, task, optimizer, learningRate, epochs, batchSize, 0.0, 0.0, List.of(),
				Activation.RELU, 0.0, false, 0, 0.0, Monitor.VALIDATION_LOSS, LearningRateSchedule.CONSTANT, 0.9,
				SvmLoss.HINGE, null, 42L);
	}

	private static TrainingConfig with(TrainingConfig c, List<Integer> hidden, double dropout, boolean batchNorm) {
		return new TrainingConfig(c.algorithm(), c.task(), c.optimizer(), c.learningRate(), c.epochs(), c.batchSize(),
				c.l1(), c.l2(), hidden, c.activation(), dropout, batchNorm, c.earlyStoppingPatience(), c.minDelta(),
				c.monitor(), c.schedule(), c.momentum(), c.svmLoss(), c.classWeights(), c.seed());
	}

	private static TrainingConfig with(TrainingConfig c, int patience, double minDelta, Monitor monitor,
			LearningRateSchedule schedule) {
		return new TrainingConfig(c.algorithm(), c.task(), c.optimizer(), c.learningRate(), c.epochs(), c.batchSize(),
				c.l1(), c.l2(), c.hiddenLayers(), c.activation(), c.dropout(), c.batchNorm(), patience, minDelta,
				monitor, schedule, c.momentum(), c.svmLoss(), c.classWeights(), c.seed());
	}

	private static TrainingConfig withClassWeights(TrainingConfig c, double[] classWeights, SvmLoss svmLoss) {
		return new TrainingConfig(c.algorithm(), c.task(), c.optimizer(), c.learningRate(), c.epochs(), c.batchSize(),
				c.l1(), c.l2(), c.hiddenLayers(), c.activation(), c.dropout(), c.batchNorm(), c.earlyStoppingPatience(),
				c.minDelta(), c.monitor(), c.schedule(), c.momentum(), svmLoss, classWeights, c.seed());
	}

	private static TrainingResult fit(TrainingConfig config, SyntheticData train, int numClasses) {
		return NetworkTrainer.train(config, train.x, train.y, numClasses, NO_ROWS, NO_TARGETS, null);
	}

	@Test
	void everyOptimizerRecoversTheLinearRegressionCoefficients() {
		SyntheticData data = SyntheticData.linear(300, 0.01, 2);
		record Case(OptimizerKind optimizer, double learningRate, int epochs, int batchSize,
				LearningRateSchedule schedule) {
		}
		LearningRateSchedule decay = new LearningRateSchedule(ScheduleKind.EXPONENTIAL, 1, 0.9, 0, 5, 0.5);
		for (Case c : List.of(new Case(OptimizerKind.SGD, 0.05, 40, 32, LearningRateSchedule.CONSTANT),
				new Case(OptimizerKind.MOMENTUM, 0.02, 40, 32, LearningRateSchedule.CONSTANT),
				new Case(OptimizerKind.NESTEROV, 0.02, 40, 32, LearningRateSchedule.CONSTANT),
				new Case(OptimizerKind.ADAM, 0.05, 60, 32, decay), new Case(OptimizerKind.RMSPROP, 0.02, 60, 32, decay),
				new Case(OptimizerKind.ADAGRAD, 0.5, 60, 32, LearningRateSchedule.CONSTANT),
				new Case(OptimizerKind.LBFGS, 1.0, 100, 0, LearningRateSchedule.CONSTANT))) {
			TrainingConfig config = with(config(Algorithm.LINEAR_REGRESSION, Task.REGRESSION, c.optimizer,
					c.learningRate, c.epochs, c.batchSize), 0, 0.0, Monitor.VALIDATION_LOSS, c.schedule);
			DenseLayer layer = fit(config, data, 0).weights().layers().get(0);
			assertThat(layer.weights()[0]).as(c.optimizer.name()).isCloseTo(3.0, within(0.02));
			assertThat(layer.weights()[1]).as(c.optimizer.name()).isCloseTo(-2.0, within(0.02));
			assertThat(layer.bias()[0]).as(c.optimizer.name()).isCloseTo(0.5, within(0.02));
		}
	}

	@Test
	void newOptimizersAndSquaredHingeSeparateTwoClasses() {
		SyntheticData train = SyntheticData.separable(300, 0.2, 5);
		SyntheticData test = SyntheticData.separable(300, 0.2, 6);
		for (OptimizerKind optimizer : List.of(OptimizerKind.NESTEROV, OptimizerKind.RMSPROP, OptimizerKind.ADAGRAD,
				OptimizerKind.LBFGS)) {
			TrainingConfig logistic = config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, optimizer, 0.05, 50,
					32);
			assertThat(SyntheticData.accuracy(fit(logistic, train, 2).weights(), test, 2)).as(optimizer.name())
				.isGreaterThan(0.95);
			TrainingConfig svm = withClassWeights(
					config(Algorithm.LINEAR_SVM, Task.CLASSIFICATION, optimizer, 0.05, 50, 32), null,
					SvmLoss.SQUARED_HINGE);
			assertThat(SyntheticData.accuracy(fit(svm, train, 2).weights(), test, 2)).as(optimizer.name())
				.isGreaterThan(0.95);
		}
		double[][] centers = { { 0, 4 }, { -4, -2 }, { 4, -2 } };
		TrainingConfig ovr = withClassWeights(
				config(Algorithm.LINEAR_SVM, Task.CLASSIFICATION, OptimizerKind.LBFGS, 1, 100, 0), null,
				SvmLoss.SQUARED_HINGE);
		assertThat(SyntheticData.accuracy(fit(ovr, SyntheticData.blobs(centers, 60, 11), 3).weights(),
				SyntheticData.blobs(centers, 60, 12), 3))
			.isGreaterThan(0.95);
	}

	@Test
	void classWeightsRaiseTheRecallOfTheUpWeightedClass() {
		// two overlapping blobs: the boundary moves towards class 0 when class 1 weighs
		// more
		double[][] centers = { { 0, 0 }, { 1.5, 0 } };
		SyntheticData train = SyntheticData.blobs(centers, 200, 31);
		SyntheticData test = SyntheticData.blobs(centers, 500, 32);
		for (Algorithm algorithm : List.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.LINEAR_SVM)) {
			TrainingConfig plain = config(algorithm, Task.CLASSIFICATION, OptimizerKind.LBFGS, 1, 200, 0);
			double plainRecall = recall(fit(plain, train, 2).weights(), test, 1);
			TrainingResult weighted = fit(withClassWeights(plain, new double[] { 1, 5 }, SvmLoss.HINGE), train, 2);
			double weightedRecall = recall(weighted.weights(), test, 1);
			assertThat(weightedRecall).as(algorithm.name()).isGreaterThan(plainRecall + 0.15);
			assertThat(recall(weighted.weights(), test, 0)).as(algorithm.name())
				.isLessThan(recall(fit(plain, train, 2).weights(), test, 0));
		}
		// reported losses are weighted: weight 2 on both classes doubles the loss
		SyntheticData small = SyntheticData.separable(50, 0.2, 33);
		TrainingConfig once = config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.SGD, 0.1, 1, 0);
		double plainLoss = fit(once, small, 2).history().get(0).trainLoss();
		double doubledLoss = fit(withClassWeights(once, new double[] { 2, 2 }, SvmLoss.HINGE), small, 2).history()
			.get(0)
			.trainLoss();
		assertThat(doubledLoss).isCloseTo(2 * plainLoss, within(1e-12));
	}

	@Test
	void mlpWithDropoutOrBatchNormStillLearnsXor() {
		SyntheticData train = SyntheticData.xor(400, 13);
		SyntheticData test = SyntheticData.xor(400, 14);
		TrainingConfig base = config(Algorithm.MLP, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.01, 150, 32);
		for (TrainingConfig config : List.of(with(base, List.of(32), 0.2, false), with(base, List.of(16), 0.0, true),
				with(base, List.of(32, 16), 0.1, true))) {
			TrainingResult result = fit(config, train, 2);
			// the folded network has plain dense layers only
			assertThat(result.weights().layers()).hasSize(config.hiddenLayers().size() + 1);
			assertThat(SyntheticData.accuracy(result.weights(), test, 2))
				.as("dropout %s batchNorm %s", config.dropout(), config.batchNorm())
				.isGreaterThan(0.9);
		}
		// deterministic for a seed, dropout masks included
		TrainingConfig short1 = with(config(Algorithm.MLP, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.01, 5, 32),
				List.of(8), 0.3, true);
		assertThat(fit(short1, train, 2).weights().layers().get(0).weights())
			.isEqualTo(fit(short1, train, 2).weights().layers().get(0).weights());
	}

	@Test
	void earlyStoppingOnAccuracyStopsAndRestoresTheBestEpoch() {
		SyntheticData train = SyntheticData.xor(60, 41);
		SyntheticData validation = SyntheticData.xor(200, 42);
		TrainingConfig config = with(with(config(Algorithm.MLP, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.05, 300, 16),
				List.of(32), 0.0, false), 8, 0.0, Monitor.ACCURACY, LearningRateSchedule.CONSTANT);
		TrainingResult result = NetworkTrainer.train(config, train.x, train.y, 2, validation.x, validation.y, null);

		assertThat(result.stoppedEarly()).isTrue();
		assertThat(result.history()).hasSize(result.bestEpoch() + 8);
		// the returned weights are exactly those after bestEpoch epochs (training is
		// deterministic)
		TrainingConfig shorter = new TrainingConfig(config.algorithm(), config.task(), config.optimizer(),
				config.learningRate(), result.bestEpoch(), config.batchSize(), 0.0, 0.0, config.hiddenLayers(),
				config.activation(), 0.0, false, 0, 0.0, Monitor.VALIDATION_LOSS, LearningRateSchedule.CONSTANT, 0.9,
				SvmLoss.HINGE, null, config.seed());
		TrainingResult replay = NetworkTrainer.train(shorter, train.x, train.y, 2, validation.x, validation.y, null);
		assertThat(result.weights().layers().get(0).weights()).isEqualTo(replay.weights().layers().get(0).weights());
		double bestAccuracy = SyntheticData.accuracy(result.weights(), validation, 2);
		assertThat(bestAccuracy).isGreaterThan(0.85);

		// a minDelta larger than any possible gain stops right after patience epochs
		TrainingResult strict = NetworkTrainer.train(
				with(config, 3, 2.0, Monitor.ACCURACY, LearningRateSchedule.CONSTANT), train.x, train.y, 2,
				validation.x, validation.y, null);
		assertThat(strict.bestEpoch()).isEqualTo(1);
		assertThat(strict.history()).hasSize(4);
	}

	@Test
	void regressionMonitorsAndPlateauScheduleRun() {
		SyntheticData train = SyntheticData.noisyWide(40, 10, 0.5, 20);
		SyntheticData validation = SyntheticData.noisyWide(100, 10, 0.5, 21);
		TrainingConfig base = with(config(Algorithm.MLP, Task.REGRESSION, OptimizerKind.ADAM, 0.01, 200, 0),
				List.of(32), 0.0, false);
		LearningRateSchedule plateau = new LearningRateSchedule(ScheduleKind.REDUCE_ON_PLATEAU, 1, 0.5, 0, 3, 0.5);
		for (Monitor monitor : List.of(Monitor.R2, Monitor.MAE)) {
			TrainingResult result = NetworkTrainer.train(with(base, 10, 0.0, monitor, plateau), train.x, train.y, 0,
					validation.x, validation.y, null);
			assertThat(result.stoppedEarly()).as(monitor.name()).isTrue();
			assertThat(result.history()).hasSize(result.bestEpoch() + 10);
			// the noise caps R^2 near 0.8; 40 rows for 10 features and 32 hidden units
			// overfit soon after
			assertThat(SyntheticData.r2(result.weights(), validation)).as(monitor.name()).isGreaterThan(0.4);
		}
	}

	@Test
	void rejectsIncompatibleSettings() {
		SyntheticData regression = SyntheticData.linear(20, 0.1, 1);
		SyntheticData classes = SyntheticData.separable(20, 0.2, 2);
		TrainingConfig linear = config(Algorithm.LINEAR_REGRESSION, Task.REGRESSION, OptimizerKind.SGD, 0.1, 5, 0);
		TrainingConfig logistic = config(Algorithm.LOGISTIC_REGRESSION, Task.CLASSIFICATION, OptimizerKind.SGD, 0.1, 5,
				0);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NetworkTrainer.train(with(linear, 3, 0.0, Monitor.ACCURACY, null), regression.x,
					regression.y, 0, regression.x, regression.y, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> fit(with(logistic, 3, 0.0, Monitor.R2, null), classes, 2));
		double[][] blobs = { { 0, 0 }, { 3, 0 }, { 0, 3 } };
		assertThatIllegalArgumentException()
			.isThrownBy(() -> fit(with(logistic, 3, 0.0, Monitor.ROC_AUC, null), SyntheticData.blobs(blobs, 5, 3), 3));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> fit(withClassWeights(logistic, new double[] { 1, 2, 3 }, SvmLoss.HINGE), classes, 2));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> fit(withClassWeights(linear, new double[] { 1, 2 }, SvmLoss.HINGE), regression, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> fit(with(logistic, List.of(), 0.5, false), classes, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> fit(with(logistic, List.of(), 0.0, true), classes, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> fit(
				with(config(Algorithm.MLP, Task.CLASSIFICATION, OptimizerKind.ADAM, 0.1, 5, 0), List.of(4), 1.0, false),
				classes, 2));
	}

	private static double recall(NetworkWeights weights, SyntheticData data, int positive) {
		double[][] p = Network.predictBatch(weights, data.x, 2);
		int hits = 0;
		int support = 0;
		for (int r = 0; r < p.length; r++) {
			if ((int) data.y[r] == positive) {
				support++;
				if (Metrics.argmax(p[r]) == positive) {
					hits++;
				}
			}
		}
		return (double) hits / support;
	}

}
