package io.fitserve.training;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.kernel.KernelSvmConfig;
import io.fitserve.ml.kernel.KernelSvmTrainer;
import io.fitserve.ml.linear.LinearSolvers;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.LearningRateSchedule;
import io.fitserve.ml.nn.Monitor;
import io.fitserve.ml.nn.NetworkTrainer;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.ml.nn.ScheduleKind;
import io.fitserve.ml.nn.SvmLoss;
import io.fitserve.ml.nn.TrainingConfig;
import io.fitserve.ml.nn.TrainingResult;
import io.fitserve.ml.preprocess.Preprocessing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Fits one model on given training rows: preprocessing first (training rows only), then
 * the algorithm's solver. Shared by plain jobs, cross-validation folds and tuning trials.
 */
final class ModelFitter {

	/**
	 * Kernel SVMs solve the exact dual up to this many training rows, and a Nystroem
	 * approximation beyond.
	 */
	static final int SVM_MAX_EXACT_ROWS = 5000;

	static final int SVM_APPROXIMATION_COMPONENTS = 1000;

	private ModelFitter() {
	}

	/** The fitted model and how it was fitted. */
	record Fit(ModelArtifact artifact, List<EpochLoss> history, int bestEpoch, boolean stoppedEarly, boolean cancelled,
			Map<String, Object> details) {
	}

	/**
	 * @param epochsOverride when > 0, train exactly this many epochs without early
	 * stopping (the final model after cross-validation, which has no validation rows
	 * left)
	 */
	static Fit fit(TrainingSpec spec, PreparedData data, int[] splitRows, int[] validationRows, int epochsOverride,
			TrainingListener listener) {
		// the gradient trainers reshuffle every epoch with the seed and the exact solvers
		// do not depend on row order, so they take the training rows in storage order:
		// encoding them is then one sequential pass (a shuffled list scatters every row).
		// The kernel SVM keeps the split's order, which its working-set choice can depend
		// on.
		int[] trainRows = spec.algorithm() == Algorithm.SVM ? splitRows : PreparedData.storageOrder(splitRows);
		Preprocessing preprocessing = Preprocessing.fit(data.features(), trainRows);
		double[] yTrain = data.targets(trainRows);
		double[] yVal = data.targets(validationRows);
		Hyperparameters h = spec.hyperparameters();
		boolean classification = spec.task() == Task.CLASSIFICATION;
		int numClasses = classification ? data.classLabels().size() : 0;
		double[] classWeights = classification ? classWeights(h.classWeights(), data, trainRows) : null;
		double l2 = h.C() != null ? 1.0 / (h.C() * trainRows.length) : (h.l2() == null ? 0.0 : h.l2());
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("encodedFeatures", preprocessing.outputWidth());
		if (h.C() != null) {
			details.put("effectiveL2", l2);
		}
		if (classWeights != null) {
			Map<String, Double> byLabel = new LinkedHashMap<>();
			for (int c = 0; c < numClasses; c++) {
				byLabel.put(data.classLabels().get(c), classWeights[c]);
			}
			details.put("classWeights", byLabel);
		}

		boolean normalEquation = spec.algorithm() == Algorithm.LINEAR_REGRESSION && useNormalEquation(h, preprocessing);
		if (normalEquation) {
			details.put("solver", "normal_equation");
			return new Fit(
					new ModelArtifact(spec.task(), data.classLabels(), preprocessing,
							normalEquation(preprocessing, data, trainRows, yTrain, l2), null),
					List.of(), 0, false, false, details);
		}
		DenseRows xTrain = preprocessing.transformRows(data.features(), trainRows);
		DenseRows xVal = preprocessing.transformRows(data.features(), validationRows);
		if (spec.algorithm() == Algorithm.SVM) {
			int[] y = new int[yTrain.length];
			for (int i = 0; i < y.length; i++) {
				y[i] = (int) yTrain[i];
			}
			KernelSvmConfig config = new KernelSvmConfig(Kernel.fromWireName(h.kernel()), h.C(),
					gamma(h.gamma(), preprocessing.outputWidth()), h.degree(), h.coef0(), h.probabilities(),
					SVM_MAX_EXACT_ROWS, SVM_APPROXIMATION_COMPONENTS, classWeights, spec.seed());
			KernelModel kernel;
			try {
				kernel = KernelSvmTrainer.train(config, xTrain.toArrays(), y, numClasses, listener);
			}
			catch (CancellationException ex) {
				return new Fit(null, List.of(), 0, false, true, details);
			}
			details.put("svmApproximation", kernel.approximation());
			return new Fit(new ModelArtifact(spec.task(), data.classLabels(), preprocessing, null, kernel), List.of(),
					0, false, false, details);
		}
		if (spec.algorithm() == Algorithm.LINEAR_REGRESSION) {
			details.put("solver", "gradient");
		}
		TrainingConfig config = config(spec, l2, classWeights, epochsOverride);
		TrainingResult result = NetworkTrainer.train(config, xTrain, yTrain, numClasses, xVal, yVal, listener);
		return new Fit(new ModelArtifact(spec.task(), data.classLabels(), preprocessing, result.weights(), null),
				result.history(), result.bestEpoch(), result.stoppedEarly(), result.cancelled(), details);
	}

	/**
	 * Rows per block of the normal equations: the encoded block stays in cache while one
	 * gemm reads it.
	 */
	private static final int NORMAL_EQUATION_BLOCK_ROWS = 4096;

	/**
	 * Exact ridge from the encoded rows a block at a time: no full copy of the training
	 * data.
	 */
	private static NetworkWeights normalEquation(Preprocessing preprocessing, PreparedData data, int[] trainRows,
			double[] yTrain, double l2) {
		Preprocessing.Encoder encoder = preprocessing.encoder(data.features());
		int width = encoder.width();
		double[] block = new double[NORMAL_EQUATION_BLOCK_ROWS * width];
		try (LinearSolvers.NormalEquations equations = new LinearSolvers.NormalEquations(width,
				NORMAL_EQUATION_BLOCK_ROWS)) {
			for (int from = 0; from < trainRows.length; from += NORMAL_EQUATION_BLOCK_ROWS) {
				int to = Math.min(trainRows.length, from + NORMAL_EQUATION_BLOCK_ROWS);
				encoder.encode(trainRows, from, to, block);
				equations.add(block, to - from, yTrain, from, null);
			}
			return equations.solve(l2);
		}
	}

	private static boolean useNormalEquation(Hyperparameters h, Preprocessing preprocessing) {
		return switch (h.solver()) {
			case "normal_equation" -> true;
			case "gradient" -> false;
			default -> h.l1() == 0 && preprocessing.outputWidth() <= SpecResolver.MAX_EXACT_FEATURES;
		};
	}

	static TrainingConfig config(TrainingSpec spec, double l2, double[] classWeights, int epochsOverride) {
		Hyperparameters h = spec.hyperparameters();
		Hyperparameters.Schedule s = h.schedule();
		LearningRateSchedule schedule = new LearningRateSchedule(ScheduleKind.fromWireName(s.type()),
				s.stepSize() == null ? 10 : s.stepSize(), s.gamma() == null ? 0.5 : s.gamma(),
				s.warmupEpochs() == null ? 0 : s.warmupEpochs(), s.patience() == null ? 5 : s.patience(),
				s.factor() == null ? 0.5 : s.factor());
		boolean fixedEpochs = epochsOverride > 0;
		return new TrainingConfig(spec.algorithm(), spec.task(), OptimizerKind.fromWireName(h.optimizer()),
				h.learningRate(), fixedEpochs ? epochsOverride : h.epochs(), h.batchSize(), h.l1() == null ? 0 : h.l1(),
				l2, h.hiddenLayers() == null ? List.of() : h.hiddenLayers(),
				h.activation() == null ? Activation.RELU : Activation.fromWireName(h.activation()),
				h.dropout() == null ? 0 : h.dropout(), Boolean.TRUE.equals(h.batchNorm()),
				fixedEpochs ? 0 : h.earlyStoppingPatience(), h.earlyStoppingMinDelta(),
				Monitor.fromWireName(h.earlyStoppingMonitor()), schedule, h.momentum(),
				h.loss() == null ? SvmLoss.HINGE : SvmLoss.fromWireName(h.loss()), classWeights, spec.seed());
	}

	/**
	 * "balanced" weighs class c by n / (k * n_c) over the training rows, as scikit-learn
	 * does.
	 */
	private static double[] classWeights(Object spec, PreparedData data, int[] trainRows) {
		if (spec == null) {
			return null;
		}
		int k = data.classLabels().size();
		double[] weights = new double[k];
		if ("balanced".equals(spec)) {
			int[] counts = new int[k];
			for (int c : data.classes(trainRows)) {
				counts[c]++;
			}
			for (int c = 0; c < k; c++) {
				weights[c] = counts[c] == 0 ? 1.0 : trainRows.length / (double) (k * counts[c]);
			}
			return weights;
		}
		@SuppressWarnings("unchecked")
		Map<String, Number> byLabel = (Map<String, Number>) spec;
		for (int c = 0; c < k; c++) {
			Number w = byLabel.get(data.classLabels().get(c));
			weights[c] = w == null ? 1.0 : w.doubleValue();
		}
		return weights;
	}

	/**
	 * scikit-learn's "scale" is 1/(features * var(X)); on standardized inputs var(X) is
	 * close to 1 but not exactly.
	 */
	private static double gamma(Object gamma, int width) {
		if (gamma instanceof Number n) {
			return n.doubleValue();
		}
		if ("auto".equals(gamma)) {
			return 1.0 / Math.max(1, width);
		}
		return -1;
	}

}
