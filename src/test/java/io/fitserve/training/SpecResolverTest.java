package io.fitserve.training;

import io.fitserve.training.algorithms.ScheduleSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.fitserve.datasets.TestDatasets;
import io.fitserve.ml.Task;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link SpecResolver#resolve(TrainingJobRequest, io.fitserve.datasets.Dataset, io.fitserve.datasets.DatasetFrame)}
 * without Spring or HTTP: the defaults each algorithm gets, every bound of every
 * hyperparameter, hyperparameters that do not apply, task inference, the split fractions,
 * and all errors of a request reported in one exception. Only the entry point, the
 * resolved spec and the errors' fields and messages are asserted, so the tests hold while
 * validation moves behind it.
 */
class SpecResolverTest {

	/**
	 * 20 rows: two continuous numbers, a categorical feature, a string label (two
	 * classes), a continuous numeric target, a numeric target with three integer values,
	 * and a column with one value.
	 */
	static final TestDatasets.Loaded DATA = TestDatasets.fromCsv(csv());

	static final String COLUMNS = "x1, x2, color, animal, y, grade, constant";

	private static String csv() {
		StringBuilder csv = new StringBuilder("x1,x2,color,animal,y,grade,constant\n");
		String[] colors = { "red", "green", "blue" };
		for (int i = 0; i < 20; i++) {
			csv.append(String.format(Locale.ROOT, "%.3f,%.3f,%s,%s,%.4f,%d,k%n", i * 0.37, (i % 7) * 1.3 - 2,
					colors[i % 3], i % 2 == 0 ? "cat" : "dog", i * 1.1 + Math.sin(i), i % 3 + 1));
		}
		return csv.toString();
	}

	// the defaults of each algorithm (README "Training": as scikit-learn's estimators)

	@Test
	void logisticRegressionDefaultsToLbfgsWithCOneAnd500Iterations() {
		TrainingSpec spec = resolve(request("animal", "logistic_regression", Map.of()));
		assertThat(spec.task()).isEqualTo(Task.CLASSIFICATION);
		assertThat(spec.algorithm()).isEqualTo("logistic_regression");
		assertThat(spec.features()).containsExactly("x1", "x2", "color", "y", "grade", "constant");
		Map<String, Object> h = spec.hyperparameters().values();
		assertThat(h.get("optimizer")).isEqualTo("lbfgs");
		assertThat(h.get("C")).isEqualTo(1.0);
		assertThat(h.get("l2")).isNull();
		assertThat(h.get("l1")).isEqualTo(0.0);
		assertThat(h.get("epochs")).isEqualTo(500);
		assertThat(h.get("batchSize")).isEqualTo(64);
		assertThat(h.get("learningRate")).isEqualTo(0.01);
		assertThat(h.get("earlyStoppingPatience")).isEqualTo(0);
		assertThat(h.get("earlyStoppingMonitor")).isEqualTo("validation_loss");
		assertThat(h.get("momentum")).isEqualTo(0.9);
		assertThat(((ScheduleSettings) h.get("schedule")).type()).isEqualTo("constant");
		assertThat(h.get("solver")).isNull();
		assertThat(h.get("hiddenLayers")).isNull();
		assertThat(h.get("kernel")).isNull();
		// L-BFGS does not stop early, so nothing is held out for validation
		assertThat(spec.validationFraction()).isZero();
		assertThat(spec.testFraction()).isEqualTo(0.2);
		assertThat(spec.seed()).isEqualTo(42);
		assertThat(spec.crossValidation()).isNull();
		assertThat(spec.datasetId()).isEqualTo(DATA.dataset().getId());
	}

	@Test
	void mlpDefaultsToAdamWithOneHiddenLayerOf100AndNoEarlyStopping() {
		TrainingSpec spec = resolve(request("animal", "mlp", Map.of()));
		Map<String, Object> h = spec.hyperparameters().values();
		assertThat(h.get("optimizer")).isEqualTo("adam");
		assertThat(h.get("hiddenLayers")).isEqualTo(List.of(100));
		assertThat(h.get("activation")).isEqualTo("relu");
		assertThat(h.get("learningRate")).isEqualTo(0.001);
		assertThat(h.get("batchSize")).isEqualTo(200);
		assertThat(h.get("epochs")).isEqualTo(200);
		assertThat(h.get("l2")).isEqualTo(0.0001);
		assertThat(h.get("l1")).isNull();
		assertThat(h.get("C")).isNull();
		assertThat(h.get("dropout")).isEqualTo(0.0);
		assertThat(h.get("batchNorm")).isEqualTo(false);
		assertThat(h.get("earlyStoppingPatience")).isEqualTo(0);
		assertThat(spec.validationFraction()).isZero();
	}

	@Test
	void linearRegressionDefaultsToTheAutoSolverWithoutRegularization() {
		TrainingSpec spec = resolve(request("y", "linear_regression", Map.of()));
		assertThat(spec.task()).isEqualTo(Task.REGRESSION);
		Map<String, Object> h = spec.hyperparameters().values();
		assertThat(h.get("solver")).isEqualTo("auto");
		assertThat(h.get("optimizer")).isEqualTo("adam");
		assertThat(h.get("l2")).isEqualTo(0.0);
		assertThat(h.get("l1")).isEqualTo(0.0);
		assertThat(h.get("C")).isNull();
		assertThat(h.get("earlyStoppingPatience")).isEqualTo(10);
		// the exact solver does not stop early either
		assertThat(spec.validationFraction()).isZero();
	}

	@Test
	void linearRegressionWithAnOptimizerTrainsByGradientAndHoldsOutAValidationSplit() {
		TrainingSpec spec = resolve(request("y", "linear_regression", Map.of("optimizer", "sgd")));
		assertThat(spec.hyperparameters().values().get("solver")).isEqualTo("gradient");
		assertThat(spec.hyperparameters().values().get("optimizer")).isEqualTo("sgd");
		assertThat(spec.validationFraction()).isEqualTo(0.1);
	}

	@Test
	void linearSvmDefaultsToLbfgsOnTheSquaredHinge() {
		Map<String, Object> h = resolve(request("animal", "linear_svm", Map.of())).hyperparameters().values();
		assertThat(h.get("optimizer")).isEqualTo("lbfgs");
		assertThat(h.get("loss")).isEqualTo("squared_hinge");
		assertThat(h.get("C")).isEqualTo(1.0);
		assertThat(h.get("epochs")).isEqualTo(500);
	}

	@Test
	void kernelSvmDefaultsToRbfWithScaleGammaAndNoGradientSettings() {
		TrainingSpec spec = resolve(request("animal", "svm", Map.of()));
		Map<String, Object> h = spec.hyperparameters().values();
		assertThat(h.get("kernel")).isEqualTo("rbf");
		assertThat(h.get("gamma")).isEqualTo("scale");
		assertThat(h.get("degree")).isEqualTo(3);
		assertThat(h.get("coef0")).isEqualTo(0.0);
		assertThat(h.get("probabilities")).isEqualTo(false);
		assertThat(h.get("C")).isEqualTo(1.0);
		assertThat(h.get("optimizer")).isNull();
		assertThat(h.get("epochs")).isNull();
		assertThat(h.get("l2")).isNull();
		assertThat(spec.validationFraction()).isZero();
	}

	@Test
	void givenValuesReplaceTheDefaults() {
		TrainingSpec spec = resolve(new TrainingJobRequest("ignored", "y", List.of("x1", "color"), null, "mlp",
				Map.of("hiddenLayers", List.of(16, 8), "activation", "tanh", "learningRate", 0.05, "epochs", 7,
						"earlyStoppingPatience", 3, "schedule", Map.of("type", "step", "stepSize", 2)),
				0.25, 0.15, new TrainingJobRequest.CrossValidationRequest(3, null), 7L, null));
		assertThat(spec.features()).containsExactly("x1", "color");
		assertThat(spec.hyperparameters().values().get("hiddenLayers")).isEqualTo(List.of(16, 8));
		assertThat(spec.hyperparameters().values().get("activation")).isEqualTo("tanh");
		assertThat(spec.hyperparameters().values().get("learningRate")).isEqualTo(0.05);
		assertThat(spec.hyperparameters().values().get("epochs")).isEqualTo(7);
		assertThat(((ScheduleSettings) spec.hyperparameters().values().get("schedule")).stepSize()).isEqualTo(2);
		assertThat(((ScheduleSettings) spec.hyperparameters().values().get("schedule")).gamma()).isEqualTo(0.5);
		assertThat(spec.validationFraction()).isEqualTo(0.25);
		assertThat(spec.testFraction()).isEqualTo(0.15);
		assertThat(spec.crossValidation().folds()).isEqualTo(3);
		assertThat(spec.crossValidation().stratified()).isFalse();
		assertThat(spec.seed()).isEqualTo(7);
	}

	// every bound of every hyperparameter

	static Stream<Arguments> outOfBounds() {
		return Stream.of(
				// gradient-trained models
				bound("mlp", "learningRate", 0, "must be > 0 and <= 10, got 0"),
				bound("mlp", "learningRate", 10.5, "must be > 0 and <= 10, got 10.5"),
				bound("mlp", "epochs", 0, "must be between 1 and 100000, got 0"),
				bound("mlp", "epochs", 100_001, "must be between 1 and 100000, got 100001"),
				bound("mlp", "epochs", 2.5, "must be an integer"),
				bound("mlp", "batchSize", 0, "must be between 1 and 1000000, got 0"),
				bound("mlp", "batchSize", 1_000_001, "must be between 1 and 1000000, got 1000001"),
				bound("mlp", "earlyStoppingPatience", -1, "must be between 0 and 100000, got -1"),
				bound("mlp", "earlyStoppingPatience", 100_001, "must be between 0 and 100000, got 100001"),
				bound("mlp", "earlyStoppingMinDelta", -0.5, "must be >= 0 and <= 1000000, got -0.5"),
				bound("mlp", "earlyStoppingMinDelta", 2e6, "must be >= 0 and <= 1000000, got 2000000.0"),
				bound("mlp", "momentum", -0.1, "must be >= 0 and <= 0.999, got -0.1"),
				bound("mlp", "momentum", 1, "must be >= 0 and <= 0.999, got 1"),
				bound("mlp", "l2", -1, "must be >= 0 and <= 1000, got -1"),
				bound("mlp", "l2", 1001, "must be >= 0 and <= 1000, got 1001"),
				bound("mlp", "learningRate", "fast", "must be a number"),
				bound("mlp", "optimizer", 3, "must be a string"),
				bound("mlp", "optimizer", "newton",
						"unknown value 'newton'; allowed: sgd, momentum, nesterov, adam, rmsprop, adagrad, lbfgs"),
				bound("mlp", "optimizer", "lbfgs",
						"lbfgs is for the convex models (linear_regression, logistic_regression, linear_svm); "
								+ "mlp allows: sgd, momentum, nesterov, adam, rmsprop, adagrad"),
				bound("mlp", "earlyStoppingMonitor", "r2",
						"'r2' does not apply to this classification target; allowed: validation_loss, accuracy, f1, roc_auc"),
				// linear models
				bound("logistic_regression", "l1", -1, "must be >= 0 and <= 1000, got -1"),
				bound("logistic_regression", "l1", 1000.5, "must be >= 0 and <= 1000, got 1000.5"),
				bound("logistic_regression", "C", 0, "must be > 0 and <= 1000000, got 0"),
				bound("logistic_regression", "C", 1e7, "must be > 0 and <= 1000000, got 1.0E7"),
				bound("linear_regression", "solver", "qr",
						"unknown value 'qr'; allowed: auto, normal_equation, gradient"),
				bound("linear_svm", "loss", "log", "unknown value 'log'; allowed: hinge, squared_hinge"),
				// mlp
				bound("mlp", "dropout", -0.1, "must be >= 0 and <= 0.9, got -0.1"),
				bound("mlp", "dropout", 0.95, "must be >= 0 and <= 0.9, got 0.95"),
				bound("mlp", "batchNorm", "yes", "must be true or false"),
				bound("mlp", "activation", "gelu", "unknown value 'gelu'; allowed: relu, tanh, sigmoid"),
				bound("mlp", "hiddenLayers", List.of(), "must be a list of 1 to 10 layer widths, e.g. [64, 32]"),
				bound("mlp", "hiddenLayers", List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
						"must be a list of 1 to 10 layer widths, e.g. [64, 32]"),
				bound("mlp", "hiddenLayers", 64, "must be a list of 1 to 10 layer widths, e.g. [64, 32]"),
				bound("mlp", "hiddenLayers", List.of(8, 0), "each width must be an integer from 1 to 1000000, got 0"),
				bound("mlp", "hiddenLayers", List.of(1_000_001),
						"each width must be an integer from 1 to 1000000, got 1000001"),
				bound("mlp", "hiddenLayers", List.of(2.5), "each width must be an integer from 1 to 1000000, got 2.5"),
				// kernel svm
				bound("svm", "degree", 0, "must be between 1 and 10, got 0"),
				bound("svm", "degree", 11, "must be between 1 and 10, got 11"),
				bound("svm", "coef0", -2e6, "must be >= -1000000 and <= 1000000, got -2000000.0"),
				bound("svm", "coef0", 2e6, "must be >= -1000000 and <= 1000000, got 2000000.0"),
				bound("svm", "gamma", 0, "must be \"scale\", \"auto\" or a number > 0"),
				bound("svm", "gamma", "large", "must be \"scale\", \"auto\" or a number > 0"),
				bound("svm", "kernel", "sigmoid", "unknown value 'sigmoid'; allowed: linear, rbf, poly"),
				bound("svm", "probabilities", 1, "must be true or false"),
				bound("svm", "C", 0, "must be > 0 and <= 1000000, got 0"),
				// classifiers
				bound("logistic_regression", "classWeights", "even",
						"must be \"balanced\" or a map of class label to weight"),
				bound("logistic_regression", "classWeights", Map.of("bird", 2),
						"'bird' is not a class of the target; classes: cat, dog"),
				bound("logistic_regression", "classWeights", Map.of("cat", 0),
						"the weight of 'cat' must be a number in (0, 1e6]"),
				bound("logistic_regression", "classWeights", Map.of("cat", 2e6),
						"the weight of 'cat' must be a number in (0, 1e6]"));
	}

	private static Arguments bound(String algorithm, String key, Object value, String message) {
		return Arguments.of(algorithm, key, value, message);
	}

	@ParameterizedTest(name = "{0} {1}={2}")
	@MethodSource("outOfBounds")
	void aValueOutOfItsBoundsIsRefusedWithTheHyperparameterAsTheField(String algorithm, String key, Object value,
			String message) {
		String target = algorithm.equals("linear_regression") ? "y" : "animal";
		assertThat(errors(request(target, algorithm, Map.of(key, value))))
			.containsExactly(tuple("hyperparameters." + key, message));
	}

	static Stream<Arguments> scheduleBounds() {
		return Stream.of(
				schedule(Map.of("type", "step", "stepSize", 0), "stepSize", "must be between 1 and 100000, got 0"),
				schedule(Map.of("type", "step", "stepSize", 100_001), "stepSize",
						"must be between 1 and 100000, got 100001"),
				schedule(Map.of("type", "step", "gamma", 0), "gamma", "must be > 0 and <= 1, got 0"),
				schedule(Map.of("type", "step", "gamma", 1.5), "gamma", "must be > 0 and <= 1, got 1.5"),
				schedule(Map.of("type", "exponential", "gamma", 0), "gamma", "must be > 0 and <= 1, got 0"),
				schedule(Map.of("type", "cosine", "warmupEpochs", -1), "warmupEpochs",
						"must be between 0 and 100000, got -1"),
				schedule(Map.of("type", "reduce_on_plateau", "patience", 0), "patience",
						"must be between 1 and 100000, got 0"),
				schedule(Map.of("type", "reduce_on_plateau", "factor", 0), "factor", "must be > 0 and <= 0.999, got 0"),
				schedule(Map.of("type", "reduce_on_plateau", "factor", 1), "factor", "must be > 0 and <= 0.999, got 1"),
				schedule(Map.of("type", "exponential", "stepSize", 3), "stepSize",
						"does not apply to the exponential schedule; allowed: gamma, type"),
				schedule(Map.of("type", "linear"), "type",
						"unknown value 'linear'; allowed: constant, step, exponential, cosine, reduce_on_plateau"));
	}

	private static Arguments schedule(Map<String, Object> schedule, String key, String message) {
		return Arguments.of(schedule, key, message);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("scheduleBounds")
	void aScheduleSettingOutOfItsBoundsIsRefusedWithItsPath(Map<String, Object> schedule, String key, String message) {
		assertThat(errors(request("animal", "mlp", Map.of("schedule", schedule))))
			.containsExactly(tuple("hyperparameters.schedule." + key, message));
	}

	@Test
	void aScheduleMustBeANameOrAnObject() {
		assertThat(errors(request("animal", "mlp", Map.of("schedule", 5))))
			.containsExactly(tuple("hyperparameters.schedule", "must be a schedule name or an object with a type"));
	}

	// hyperparameters that do not apply

	@Test
	void hyperparametersOfAnotherAlgorithmAreRefusedWithWhatIsAllowed() {
		assertThat(errors(request("animal", "mlp", Map.of("C", 1.0)))).containsExactly(tuple("hyperparameters.C",
				"does not apply to mlp; allowed: optimizer, learningRate, epochs, batchSize, earlyStoppingPatience, "
						+ "earlyStoppingMonitor, earlyStoppingMinDelta, schedule, momentum, l2, hiddenLayers, "
						+ "activation, dropout, batchNorm, classWeights, resample, resampleRatio, smoteNeighbors"));
		assertThat(errors(request("animal", "svm", Map.of("epochs", 10))))
			.containsExactly(tuple("hyperparameters.epochs",
					"does not apply to svm; allowed: C, classWeights, resample, resampleRatio, smoteNeighbors, kernel, "
							+ "gamma, degree, coef0, probabilities"));
		assertThat(fieldErrors(request("y", "linear_regression", Map.of("hiddenLayers", List.of(4)))))
			.extracting(FieldError::field,
					e -> e.message().startsWith("does not apply to linear_regression; allowed: "))
			.containsExactly(tuple("hyperparameters.hiddenLayers", true));
		assertThat(fieldErrors(request("animal", "logistic_regression", Map.of("kernel", "rbf"))))
			.extracting(FieldError::field)
			.containsExactly("hyperparameters.kernel");
		assertThat(fieldErrors(request("animal", "linear_svm", Map.of("solver", "auto")))).extracting(FieldError::field)
			.containsExactly("hyperparameters.solver");
		assertThat(fieldErrors(request("animal", "logistic_regression", Map.of("loss", "hinge"))))
			.extracting(FieldError::field)
			.containsExactly("hyperparameters.loss");
	}

	@Test
	void anUnknownHyperparameterIsRefusedWithWhatIsAllowed() {
		assertThat(errors(request("animal", "svm", Map.of("alpha", 0.1)))).containsExactly(tuple(
				"hyperparameters.alpha",
				"unknown hyperparameter; allowed for svm: C, classWeights, resample, resampleRatio, smoteNeighbors, "
						+ "kernel, gamma, degree, coef0, probabilities"));
	}

	@Test
	void cAndL2TogetherAreRefused() {
		assertThat(errors(request("animal", "logistic_regression", Map.of("C", 1.0, "l2", 0.1))))
			.containsExactly(tuple("hyperparameters.C", "give either C or l2, not both"));
	}

	@Test
	void classWeightsApplyOnlyToClassification() {
		assertThat(errors(request("y", "mlp", Map.of("classWeights", "balanced"))))
			.containsExactly(tuple("hyperparameters.classWeights", "applies only to classification"));
	}

	// the task

	@Test
	void mlpInfersTheTaskFromTheTarget() {
		assertThat(resolve(request("y", "mlp", Map.of())).task()).isEqualTo(Task.REGRESSION);
		assertThat(resolve(request("animal", "mlp", Map.of())).task()).isEqualTo(Task.CLASSIFICATION);
		assertThat(resolve(request("color", "mlp", Map.of())).task()).isEqualTo(Task.CLASSIFICATION);
		// numeric, but at most 10 distinct integer values: classes
		assertThat(resolve(request("grade", "mlp", Map.of())).task()).isEqualTo(Task.CLASSIFICATION);
	}

	@Test
	void anExplicitTaskWinsForMlp() {
		TrainingSpec spec = resolve(new TrainingJobRequest("ignored", "grade", null, "regression", "mlp", null, null,
				null, null, null, null));
		assertThat(spec.task()).isEqualTo(Task.REGRESSION);
	}

	@Test
	void theAlgorithmFixesTheTask() {
		assertThat(resolve(request("grade", "logistic_regression", Map.of())).task()).isEqualTo(Task.CLASSIFICATION);
		assertThat(resolve(request("grade", "linear_regression", Map.of())).task()).isEqualTo(Task.REGRESSION);
		assertThat(errors(new TrainingJobRequest("ignored", "y", null, "classification", "linear_regression", null,
				null, null, null, null, null)))
			.containsExactly(tuple("task", "linear_regression supports only regression"));
		assertThat(errors(
				new TrainingJobRequest("ignored", "y", null, "clustering", "mlp", null, null, null, null, null, null)))
			.containsExactly(
					tuple("target",
							"clustering has no target; leave target out (evaluate the model against "
									+ "a labelled dataset with POST /api/v1/models/{id}/evaluations and labelColumn)"),
					tuple("task", "mlp does not cluster; clustering algorithms: kmeans"));
	}

	@Test
	void regressionNeedsANumericTarget() {
		assertThat(errors(request("animal", "linear_regression", Map.of())))
			.containsExactly(tuple("target", "'animal' is categorical; regression needs a numeric target"));
	}

	@Test
	void classificationNeedsTwoClasses() {
		assertThat(errors(request("constant", "logistic_regression", Map.of())))
			.containsExactly(tuple("target", "'constant' has 1 class(es); classification needs at least 2"));
	}

	@Test
	void theTargetMustBeAColumn() {
		assertThat(errors(request("nope", "mlp", Map.of())))
			.containsExactly(tuple("target", "no column 'nope' in the dataset; columns: " + COLUMNS));
		assertThat(errors(request(null, "mlp", Map.of()))).containsExactly(tuple("target", "is required"));
		assertThat(errors(request("t".repeat(256), "mlp", Map.of())))
			.containsExactly(tuple("target", "is 256 characters long; column names have at most 255"));
	}

	@Test
	void featuresMustBeOtherColumnsEachOnce() {
		assertThat(errors(new TrainingJobRequest("ignored", "y", List.of("x1", "x1", "y", "z"), null,
				"linear_regression", null, null, null, null, null, null)))
			.containsExactly(tuple("features", "'x1' is listed twice"),
					tuple("features", "the target 'y' cannot also be a feature"),
					tuple("features", "no column 'z' in the dataset; columns: " + COLUMNS));
		assertThat(errors(new TrainingJobRequest("ignored", "y", List.of(), null, "linear_regression", null, null, null,
				null, null, null)))
			.containsExactly(tuple("features", "must name at least one column (or be omitted for all)"));
	}

	// fractions and cross-validation

	@Test
	void validationAndTestFractionsTogetherMayHoldOutAtMost80Percent() {
		assertThat(errors(fractions(0.5, 0.4)))
			.containsExactly(tuple("testFraction", "validationFraction + testFraction must be <= 0.8"));
		assertThat(resolve(fractions(0.4, 0.4)).testFraction()).isEqualTo(0.4);
	}

	@Test
	void eachFractionIsBetweenZeroAndAHalf() {
		assertThat(errors(fractions(0.6, null)))
			.containsExactly(tuple("validationFraction", "must be between 0 and 0.5"));
		assertThat(errors(fractions(null, -0.1))).containsExactly(tuple("testFraction", "must be between 0 and 0.5"));
		assertThat(resolve(fractions(0.0, 0.0)).testFraction()).isZero();
	}

	@Test
	void crossValidationTakes2To20FoldsAndStratifiesOnlyClasses() {
		assertThat(errors(crossValidation("animal", 1, null)))
			.containsExactly(tuple("crossValidation.folds", "must be between 2 and 20"));
		assertThat(errors(crossValidation("animal", 21, null)))
			.containsExactly(tuple("crossValidation.folds", "must be between 2 and 20"));
		assertThat(errors(crossValidation("y", 5, true)))
			.containsExactly(tuple("crossValidation.stratified", "stratification needs a classification task"));
		assertThat(resolve(crossValidation("animal", null, null)).crossValidation())
			.isEqualTo(new CrossValidation(5, true));
	}

	// the algorithm, and many errors at once

	@Test
	void anUnknownOrMissingAlgorithmIsRefusedWithTheAllowedNames() {
		assertThat(errors(request("animal", "xgboost", Map.of()))).containsExactly(tuple("algorithm",
				"unknown value 'xgboost'; allowed: linear_regression, logistic_regression, linear_svm, svm, mlp, gradient_boosting, random_forest, kmeans"));
		assertThat(errors(request("animal", null, Map.of()))).containsExactly(tuple("algorithm",
				"is required; allowed: linear_regression, logistic_regression, linear_svm, svm, mlp, gradient_boosting, random_forest, kmeans"));
	}

	@Test
	void everyProblemOfARequestIsReportedInOneException() {
		Map<String, Object> hyperparameters = new HashMap<>();
		hyperparameters.put("learningRate", 0);
		hyperparameters.put("epochs", 0);
		hyperparameters.put("kernel", "rbf");
		List<FieldError> errors = fieldErrors(new TrainingJobRequest("ignored", "animal", List.of("nope"), null, "mlp",
				hyperparameters, 0.6, 0.5, new TrainingJobRequest.CrossValidationRequest(30, null), null, null));
		assertThat(errors).extracting(FieldError::field)
			.containsExactlyInAnyOrder("features", "hyperparameters.kernel", "hyperparameters.learningRate",
					"hyperparameters.epochs", "validationFraction", "crossValidation.folds");
		assertThat(errors(
				new TrainingJobRequest("ignored", null, null, null, "xgboost", null, null, 0.9, null, null, null)))
			.containsExactly(tuple("algorithm",
					"unknown value 'xgboost'; allowed: linear_regression, logistic_regression, linear_svm, svm, mlp, gradient_boosting, random_forest, kmeans"),
					tuple("target", "is required"), tuple("testFraction", "must be between 0 and 0.5"));
	}

	// helpers

	private static TrainingJobRequest request(String target, String algorithm, Map<String, Object> hyperparameters) {
		return new TrainingJobRequest("ignored", target, null, null, algorithm, hyperparameters, null, null, null, null,
				null);
	}

	private static TrainingJobRequest fractions(Double validation, Double test) {
		return new TrainingJobRequest("ignored", "animal", null, null, "logistic_regression", null, validation, test,
				null, null, null);
	}

	private static TrainingJobRequest crossValidation(String target, Integer folds, Boolean stratified) {
		return new TrainingJobRequest("ignored", target, null, null, "mlp", null, null, null,
				new TrainingJobRequest.CrossValidationRequest(folds, stratified), null, null);
	}

	private static TrainingSpec resolve(TrainingJobRequest request) {
		return SpecResolver.resolve(request, DATA.dataset(), DATA.frame());
	}

	/**
	 * The field errors of the validation failure resolve reports, as (field, message)
	 * pairs. The one place that knows how the failure is thrown: today an exception with
	 * a 400 status, type "validation-error" and its errors(); change this method, not the
	 * tests, when that changes.
	 */
	private static List<FieldError> fieldErrors(TrainingJobRequest request) {
		ThrowingCallable call = () -> resolve(request);
		Throwable thrown = catchThrowable(call);
		assertThat(thrown).as("resolve should refuse %s", request).isNotNull();
		DomainException failure = (DomainException) thrown;
		assertThat(failure.kind()).isEqualTo(DomainException.Kind.INVALID);
		assertThat(failure.type()).isEqualTo("validation-error");
		assertThat(failure.errors()).allSatisfy(e -> assertThat(e.row()).isNull());
		return failure.errors();
	}

	/** {@link #fieldErrors} as (field, message) tuples. */
	private static List<Tuple> errors(TrainingJobRequest request) {
		return fieldErrors(request).stream().map(e -> tuple(e.field(), e.message())).toList();
	}

}
