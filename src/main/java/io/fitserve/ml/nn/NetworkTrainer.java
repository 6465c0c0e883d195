package io.fitserve.ml.nn;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingDivergedException;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.data.Blocks;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.eval.ClassificationMetrics;
import io.fitserve.ml.eval.Metrics;
import io.fitserve.ml.eval.RegressionMetrics;
import io.fitserve.ml.linalg.NativeMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains dense networks (linear models are one-layer networks) with a hand-written
 * mini-batch loop of ND4J matrix operations in double precision. Deterministic for a
 * given configuration and data: initialization and shuffling draw from
 * {@code SplittableRandom(config.seed())}, never from ND4J's shared global RNG.
 */
public final class NetworkTrainer {

	/**
	 * Relative margin by which a validation loss must beat the best so far to count as an
	 * improvement.
	 */
	static final double IMPROVEMENT_TOLERANCE = 1e-12;

	/** Mixed into the seed for the dropout masks' random stream. */
	private static final long DROPOUT_SEED_MIX = 0x9E3779B97F4A7C15L;

	private NetworkTrainer() {
	}

	/**
	 * Trains a network.
	 * <p>
	 * Gradient optimizers run mini-batch epochs with the learning rate of
	 * {@code config.schedule()}; an L1 penalty is applied as a proximal soft-threshold
	 * after each step (see {@link ParameterUpdater}). Early stopping watches
	 * {@code config.monitor()} on the validation rows and restores the best epoch's
	 * weights.
	 * <p>
	 * LBFGS (linear models only) is full-batch L-BFGS over the same objective, one
	 * history entry per iteration; it ignores learningRate, batchSize, schedule and early
	 * stopping, and stops after {@code epochs} iterations or when the projected
	 * gradient's max-norm falls below 1e-6 * max(1, |objective|) or the objective changes
	 * by less than 1e-10 relative ({@code stoppedEarly} is then true when that happened
	 * before the last allowed iteration). With l1 > 0 it runs OWL-QN, which reaches exact
	 * zeros.
	 * @param yTrain REGRESSION: target values; CLASSIFICATION: class indices
	 * 0..numClasses-1 as doubles
	 * @param numClasses number of classes (ignored for REGRESSION)
	 * @param xVal validation rows; may be empty (or null): then no early stopping and
	 * validation losses are NaN
	 * @param listener progress and cancellation callback; may be null
	 * @throws IllegalArgumentException on inconsistent configuration or data
	 * @throws TrainingDivergedException when the training loss stops being finite
	 * (learning rate too high)
	 */
	public static TrainingResult train(TrainingConfig config, double[][] xTrain, double[] yTrain, int numClasses,
			double[][] xVal, double[] yVal, TrainingListener listener) {
		Objects.requireNonNull(config, "config");
		checkConfig(config);
		int rows = checkData("training", xTrain, yTrain, -1);
		if (rows == 0) {
			throw new IllegalArgumentException("no training rows");
		}
		int features = xTrain[0].length;
		boolean hasValidation = xVal != null && xVal.length > 0;
		if (hasValidation) {
			checkData("validation", xVal, yVal, features);
		}
		return train(config, DenseRows.of(xTrain), yTrain, numClasses,
				hasValidation ? DenseRows.of(xVal) : DenseRows.empty(features), yVal, listener);
	}

	/**
	 * As
	 * {@link #train(TrainingConfig, double[][], double[], int, double[][], double[], TrainingListener)}.
	 */
	public static TrainingResult train(TrainingConfig config, DenseRows xTrain, double[] yTrain, int numClasses,
			DenseRows xVal, double[] yVal, TrainingListener listener) {
		Objects.requireNonNull(config, "config");
		checkConfig(config);
		Head head = Head.of(config, numClasses);
		int rows = checkData("training", xTrain, yTrain, -1);
		if (rows == 0) {
			throw new IllegalArgumentException("no training rows");
		}
		int features = xTrain.cols();
		if (features == 0) {
			throw new IllegalArgumentException("no feature columns");
		}
		boolean hasValidation = xVal != null && xVal.rows() > 0;
		if (hasValidation) {
			checkData("validation", xVal, yVal, features);
		}
		else if (yVal != null && yVal.length > 0) {
			throw new IllegalArgumentException("validation targets given without validation rows");
		}
		Monitor monitor = (config.monitor() != null) ? config.monitor() : Monitor.VALIDATION_LOSS;
		checkMonitor(monitor, config.task(), numClasses);
		double[] classWeights = checkClassWeights(config, numClasses);
		boolean lbfgs = config.optimizer() == OptimizerKind.LBFGS;
		boolean earlyStopping = hasValidation && config.earlyStoppingPatience() > 0 && !lbfgs;
		if (earlyStopping && monitor == Monitor.ROC_AUC && !bothClassesPresent(yVal)) {
			throw new IllegalArgumentException("monitoring roc_auc needs both classes in the validation rows");
		}

		double yMean = 0;
		double yStd = 1;
		if (head.loss == LossKind.MSE) {
			yMean = mean(yTrain);
			yStd = populationStd(yTrain, yMean);
		}
		// the data copies are large and off-heap: free them when done rather than at some
		// later GC
		try (NativeMatrix.Owner owned = new NativeMatrix.Owner()) {
			// L-BFGS (linear models only) runs in plain Java on the heap rows: no native
			// copy of the training data mini-batches are gathered from the heap rows
			// straight into the batch buffers, so only a full-batch run needs the
			// training data in native memory
			boolean fullBatchRun = !lbfgs && (config.batchSize() <= 0 || config.batchSize() >= rows);
			NativeMatrix x = fullBatchRun ? owned.add(NativeMatrix.of(xTrain)) : null;
			NativeMatrix y = fullBatchRun ? owned.add(head.targets(yTrain, numClasses, yMean, yStd)) : null;
			double[] yHeap = lbfgs || fullBatchRun ? null : head.heapTargets(yTrain, numClasses, yMean, yStd);
			NativeMatrix xv = hasValidation ? owned.add(NativeMatrix.of(xVal)) : null;
			NativeMatrix yv = hasValidation ? owned.add(head.targets(yVal, numClasses, yMean, yStd)) : null;
			// regression losses are computed on standardized targets; report them in
			// original units
			double lossScale = yStd * yStd;
			// standardizing y by yStd scales the data term by 1/yStd^2 and the weights by
			// 1/yStd: the L2 term scales the same way (same minimizer), the L1 term only
			// by 1/yStd, so it is divided by yStd to keep the objective's minimizer that
			// of the original units
			double l1 = config.l1() / yStd;

			SplittableRandom random = new SplittableRandom(config.seed());
			int[] sizes = layerSizes(features, config, head.outputs);
			Activation activation = config.activation() != null ? config.activation() : Activation.RELU;
			// a separate stream, so that runs without dropout draw exactly as before
			SplittableRandom dropoutRandom = (config.dropout() > 0)
					? new SplittableRandom(config.seed() ^ DROPOUT_SEED_MIX) : null;
			TrainableNetwork net = new TrainableNetwork(sizes, activation, head.loss, config.l2(),
					initialParameters(sizes, config, activation, random), classWeights, config.batchNorm(),
					config.dropout(), dropoutRandom);
			Evaluation evaluation = new Evaluation(net, head, xv, yv, xVal, yVal, numClasses, yStd, yMean, lossScale);
			if (lbfgs) {
				LinearObjective linear = new LinearObjective(xTrain, head.heapTargets(yTrain, numClasses, yMean, yStd),
						rows, features, head.outputs, head.loss, classWeights, config.l2());
				return trainLbfgs(config, net, linear, rows, head.outputs, l1, evaluation, listener);
			}
			ParameterUpdater updater = ParameterUpdater.create(config.optimizer(), config.learningRate(),
					config.momentum(), net.parameterCount(), l1, net.weightMask());
			boolean higherIsBetter = hasValidation && higherIsBetter(monitor);
			Schedules schedule = new Schedules(config.schedule(), config.learningRate(), config.epochs(),
					higherIsBetter, config.minDelta());

			int batchSize = (config.batchSize() <= 0 || config.batchSize() >= rows) ? rows : config.batchSize();
			boolean fullBatch = batchSize == rows;
			int[] order = new int[rows];
			Arrays.setAll(order, i -> i);
			NativeMatrix xBatch = null;
			NativeMatrix yBatch = null;
			NativeMatrix xTail = null;
			NativeMatrix yTail = null;
			double[][] staging = fullBatch ? null
					: new double[][] { new double[batchSize * Math.max(features, head.outputs)],
							new double[batchSize * Math.max(features, head.outputs)] };
			if (!fullBatch) {
				xBatch = owned.add(NativeMatrix.allocate(batchSize, features));
				yBatch = owned.add(NativeMatrix.allocate(batchSize, head.outputs));
				int tail = rows % batchSize;
				if (tail > 0) {
					xTail = owned.add(NativeMatrix.allocate(tail, features));
					yTail = owned.add(NativeMatrix.allocate(tail, head.outputs));
				}
			}
			// batches large enough are computed in parts on two threads (SplitBatches),
			// each part's rows gathered by the thread that computes it
			Parts batchParts = Parts.of(net, fullBatch ? x : xBatch, fullBatch ? y : yBatch);
			Parts tailParts = Parts.of(net, xTail, yTail);
			Thread trainer = Thread.currentThread();
			try (SplitBatches split = (batchParts != null || tailParts != null)
					? new SplitBatches(net, Blocks.threads() > 1, trainer.getName() + "-half") : null) {
				// buffers for every batch shape before the loop, the usual one last
				if (!fullBatch && rows % batchSize > 0) {
					prepare(net, split, tailParts, rows % batchSize);
				}
				prepare(net, split, batchParts, batchSize);

				List<EpochLoss> history = new ArrayList<>();
				double best = Double.NaN;
				int bestEpoch = 0;
				TrainableNetwork.Snapshot bestState = null;
				boolean stoppedEarly = false;
				boolean cancelled = false;

				epochs: for (int epoch = 1; epoch <= config.epochs(); epoch++) {
					updater.setLearningRate(schedule.rate(epoch));
					if (!fullBatch) {
						shuffle(order, random);
					}
					double lossSum = 0;
					for (int start = 0; start < rows; start += batchSize) {
						if (listener != null && listener.cancelled()) {
							cancelled = true;
							break epochs;
						}
						if (fullBatch) {
							if (batchParts != null) {
								lossSum += split.step(batchParts.x, batchParts.y, null, updater);
							}
							else {
								lossSum += net.forwardBackward(x, y);
								net.step(updater);
							}
						}
						else {
							int from = start;
							int end = Math.min(rows, start + batchSize);
							boolean full = end - start == batchSize;
							Parts parts = full ? batchParts : tailParts;
							if (parts == null) {
								NativeMatrix xb = full ? xBatch : xTail;
								NativeMatrix yb = full ? yBatch : yTail;
								xb.gather(xTrain, order, from, end, staging[0]);
								yb.gather(yHeap, order, from, end, staging[0]);
								lossSum += net.forwardBackward(xb, yb);
								net.step(updater);
							}
							else {
								// the step too is shared by both threads
								lossSum += split.step(parts.x, parts.y, k -> {
									// the caller's thread or the worker: each with its
									// own staging
									double[] buffer = staging[Thread.currentThread() == trainer ? 0 : 1];
									int a = from + parts.start[k];
									int b = from + parts.start[k + 1];
									parts.x[k].gather(xTrain, order, a, b, buffer);
									parts.y[k].gather(yHeap, order, a, b, buffer);
								}, updater);
							}
						}
					}
					double trainLoss = lossSum / rows * lossScale;
					if (!Double.isFinite(trainLoss)) {
						throw new TrainingDivergedException("training diverged at epoch " + epoch
								+ ": the loss is no longer finite; lower the learning rate");
					}
					double validationLoss = evaluation.validationLoss();
					EpochLoss loss = new EpochLoss(epoch, trainLoss, validationLoss);
					history.add(loss);
					double monitored = Double.NaN;
					if (hasValidation && (earlyStopping || schedule.needsObservations())) {
						monitored = (monitor == Monitor.VALIDATION_LOSS) ? validationLoss : evaluation.metric(monitor);
					}
					schedule.observe(hasValidation ? monitored : trainLoss);
					if (earlyStopping) {
						if (bestEpoch == 0 || Schedules.improves(monitored, best, higherIsBetter, config.minDelta())) {
							best = monitored;
							bestEpoch = epoch;
							bestState = net.snapshot(bestState);
						}
					}
					else {
						bestEpoch = epoch;
					}
					if (listener != null && !listener.onEpoch(loss, config.epochs())) {
						cancelled = true;
						break;
					}
					if (earlyStopping && epoch - bestEpoch >= config.earlyStoppingPatience()) {
						stoppedEarly = epoch < config.epochs();
						break;
					}
				}

				if (cancelled) {
					// a cancelled run returns the weights it has, which belong to the
					// last completed epoch (or a later partial one)
					bestEpoch = history.size();
				}
				else if (earlyStopping && bestState != null && bestEpoch < history.size()) {
					net.restore(bestState);
				}
				NetworkWeights weights = net.toWeights(head.output, yStd, yMean);
				return new TrainingResult(weights, List.copyOf(history), bestEpoch, stoppedEarly, cancelled);
			}
		}
	}

	/**
	 * Full-batch L-BFGS / OWL-QN: one history entry, listener call and cancellation poll
	 * per iteration.
	 */
	private static TrainingResult trainLbfgs(TrainingConfig config, TrainableNetwork net, LinearObjective linear,
			int rows, int outputs, double l1, Evaluation evaluation, TrainingListener listener) {
		double factor = net.loss().objectiveFactor(outputs);
		double l2 = config.l2();
		boolean[] mask = net.weightMask();
		double[] lastDataLoss = { Double.NaN };
		Lbfgs.Objective objective = (theta, grad) -> {
			// the network holds the last evaluated point: its weights are the result, and
			// validation reads them
			net.setParameters(theta);
			double dataLoss = linear.dataLossAndGradient(theta, grad);
			lastDataLoss[0] = dataLoss;
			double squares = 0;
			for (int i = 0; i < theta.length; i++) {
				if (mask[i]) {
					squares += theta[i] * theta[i];
				}
			}
			return factor * dataLoss / rows + 0.5 * l2 * squares;
		};
		List<EpochLoss> history = new ArrayList<>();
		boolean cancelled = false;
		boolean converged = false;
		if (listener != null && listener.cancelled()) {
			cancelled = true;
		}
		else {
			Lbfgs optimizer = new Lbfgs(objective, net.toArray(), l1, mask);
			for (int iteration = 1; iteration <= config.epochs(); iteration++) {
				if (listener != null && listener.cancelled()) {
					cancelled = true;
					break;
				}
				Lbfgs.Status status = optimizer.iterate();
				double trainLoss = lastDataLoss[0] / rows * evaluation.lossScale;
				if (!Double.isFinite(trainLoss) || !Double.isFinite(optimizer.value())) {
					throw new TrainingDivergedException(
							"training diverged at iteration " + iteration + ": the loss is no longer finite");
				}
				EpochLoss loss = new EpochLoss(iteration, trainLoss, evaluation.validationLoss());
				history.add(loss);
				if (listener != null && !listener.onEpoch(loss, config.epochs())) {
					cancelled = true;
					break;
				}
				if (status != Lbfgs.Status.CONTINUE) {
					converged = true;
					break;
				}
			}
		}
		NetworkWeights weights = net.toWeights(evaluation.head.output, evaluation.yStd, evaluation.yMean);
		boolean stoppedEarly = converged && history.size() < config.epochs();
		return new TrainingResult(weights, List.copyOf(history), history.size(), stoppedEarly, cancelled);
	}

	/** Validation loss and metrics of the network's current weights. */
	private static final class Evaluation {

		final TrainableNetwork net;

		final Head head;

		final NativeMatrix xv;

		final NativeMatrix yv;

		final DenseRows xVal;

		private double[][] xValRows;

		final double[] yVal;

		final int numClasses;

		final double yStd;

		final double yMean;

		final double lossScale;

		Evaluation(TrainableNetwork net, Head head, NativeMatrix xv, NativeMatrix yv, DenseRows xVal, double[] yVal,
				int numClasses, double yStd, double yMean, double lossScale) {
			this.net = net;
			this.head = head;
			this.xv = xv;
			this.yv = yv;
			this.xVal = xVal;
			this.yVal = yVal;
			this.numClasses = numClasses;
			this.yStd = yStd;
			this.yMean = yMean;
			this.lossScale = lossScale;
		}

		/**
		 * Mean (class-weighted) validation loss in original units; NaN without validation
		 * rows.
		 */
		double validationLoss() {
			return (this.xv != null) ? this.net.lossSum(this.xv, this.yv) / this.xv.rows * this.lossScale : Double.NaN;
		}

		/**
		 * A metric on the validation rows, from {@link Metrics} on
		 * {@link Network#predictBatch}; NaN if undefined.
		 */
		double metric(Monitor monitor) {
			NetworkWeights weights = this.net.toWeights(this.head.output, this.yStd, this.yMean);
			if (this.xValRows == null) {
				this.xValRows = this.xVal.toArrays();
			}
			double[][] predictions = Network.predictBatch(weights, this.xValRows, this.numClasses);
			if (monitor == Monitor.R2 || monitor == Monitor.MAE) {
				double[] values = new double[predictions.length];
				for (int r = 0; r < values.length; r++) {
					values[r] = predictions[r][0];
				}
				RegressionMetrics metrics = Metrics.regression(this.yVal, values);
				return (monitor == Monitor.R2) ? metrics.r2() : metrics.mae();
			}
			int[] labels = new int[this.yVal.length];
			for (int r = 0; r < labels.length; r++) {
				labels[r] = (int) this.yVal[r];
			}
			List<String> names = new ArrayList<>();
			for (int c = 0; c < this.numClasses; c++) {
				names.add(Integer.toString(c));
			}
			ClassificationMetrics metrics = Metrics.classification(labels, predictions, names);
			return switch (monitor) {
				case ACCURACY -> metrics.accuracy();
				case F1 -> metrics.f1();
				case ROC_AUC -> (metrics.rocAuc() != null) ? metrics.rocAuc() : Double.NaN;
				default -> throw new IllegalStateException("not a classification metric: " + monitor);
			};
		}

	}

	/**
	 * Whether a monitored quantity improves upwards (scores) rather than downwards
	 * (losses and errors).
	 */
	static boolean higherIsBetter(Monitor monitor) {
		return switch (monitor) {
			case ACCURACY, F1, ROC_AUC, R2 -> true;
			case VALIDATION_LOSS, MAE -> false;
		};
	}

	private static void checkMonitor(Monitor monitor, Task task, int numClasses) {
		switch (monitor) {
			case VALIDATION_LOSS -> {
			}
			case ACCURACY, F1 ->
				require(task == Task.CLASSIFICATION, "monitor " + monitor.wireName() + " needs a classification task");
			case ROC_AUC -> require(task == Task.CLASSIFICATION && numClasses == 2,
					"monitor roc_auc needs a binary classification task");
			case R2, MAE ->
				require(task == Task.REGRESSION, "monitor " + monitor.wireName() + " needs a regression task");
		}
	}

	/** Validates the class weights; returns a copy, or null when there are none. */
	private static double[] checkClassWeights(TrainingConfig config, int numClasses) {
		double[] weights = config.classWeights();
		if (weights == null) {
			return null;
		}
		require(config.task() == Task.CLASSIFICATION, "class weights need a classification task");
		require(weights.length == numClasses, "expected " + numClasses + " class weights, got " + weights.length);
		for (double w : weights) {
			require(w >= 0 && Double.isFinite(w), "class weights must be zero or positive numbers");
		}
		return weights.clone();
	}

	private static boolean bothClassesPresent(double[] labels) {
		boolean zero = false;
		boolean one = false;
		for (double label : labels) {
			zero |= label == 0;
			one |= label == 1;
		}
		return zero && one;
	}

	/**
	 * The same predictions as {@link Network#predictBatch}, computed with ND4J (the
	 * trainer's forward pass); for checking that the two agree.
	 */
	static double[][] predictWithNd4j(NetworkWeights weights, double[][] x, int numClasses) {
		TrainableNetwork net = TrainableNetwork.of(weights, LossKind.MSE);
		INDArray scores = net.scores(NativeMatrix.of(x, weights.layers().get(0).inputs()).array);
		INDArray result;
		if (weights.output() == OutputKind.IDENTITY) {
			result = scores;
		}
		else if (scores.columns() == 1) {
			INDArray p = Transforms.sigmoid(scores, true);
			result = Nd4j.hstack(p.rsub(1.0), p);
		}
		else {
			result = Transforms.softmax(scores, true);
		}
		if (weights.output() != OutputKind.IDENTITY && result.columns() != numClasses) {
			throw new IllegalArgumentException("class count mismatch");
		}
		return result.toDoubleMatrix();
	}

	/** The output layer, its loss and its target encoding for an algorithm and task. */
	private record Head(LossKind loss, int outputs, OutputKind output) {

		static Head of(TrainingConfig config, int numClasses) {
			if (config.task() == Task.CLASSIFICATION && numClasses < 2) {
				throw new IllegalArgumentException("classification needs at least 2 classes, got " + numClasses);
			}
			return switch (config.algorithm()) {
				case SVM -> throw new IllegalArgumentException("the kernel SVM is not trained by NetworkTrainer");
				case LINEAR_REGRESSION -> {
					requireTask(config, Task.REGRESSION);
					yield new Head(LossKind.MSE, 1, OutputKind.IDENTITY);
				}
				case LOGISTIC_REGRESSION -> {
					requireTask(config, Task.CLASSIFICATION);
					yield (numClasses == 2) ? new Head(LossKind.BINARY_CROSS_ENTROPY, 1, OutputKind.SIGMOID)
							: new Head(LossKind.SOFTMAX_CROSS_ENTROPY, numClasses, OutputKind.SOFTMAX);
				}
				case LINEAR_SVM -> {
					requireTask(config, Task.CLASSIFICATION);
					LossKind loss = (config.svmLoss() == SvmLoss.SQUARED_HINGE) ? LossKind.SQUARED_HINGE
							: LossKind.HINGE;
					yield new Head(loss, (numClasses == 2) ? 1 : numClasses, OutputKind.SVM);
				}
				case MLP -> (config.task() == Task.REGRESSION) ? new Head(LossKind.MSE, 1, OutputKind.IDENTITY)
						: new Head(LossKind.SOFTMAX_CROSS_ENTROPY, numClasses, OutputKind.SOFTMAX);
			};
		}

		private static void requireTask(TrainingConfig config, Task task) {
			if (config.task() != task) {
				throw new IllegalArgumentException(config.algorithm() + " supports only " + task + " tasks");
			}
		}

		/** Encodes targets as a rows x outputs matrix. */
		NativeMatrix targets(double[] y, int numClasses, double yMean, double yStd) {
			NativeMatrix result = NativeMatrix.allocate(y.length, this.outputs);
			encode(y, numClasses, yMean, yStd, result.ix);
			return result;
		}

		/** As {@link #targets}, row-major on the heap. */
		double[] heapTargets(double[] y, int numClasses, double yMean, double yStd) {
			double[] result = new double[y.length * this.outputs];
			encode(y, numClasses, yMean, yStd, DoubleIndexer.create(result));
			return result;
		}

		private void encode(double[] y, int numClasses, double yMean, double yStd, DoubleIndexer out) {
			if (this.loss != LossKind.MSE) {
				for (double label : y) {
					if (label != Math.rint(label) || label < 0 || label >= numClasses) {
						throw new IllegalArgumentException(
								"class labels must be integers in 0.." + (numClasses - 1) + ", got " + label);
					}
				}
			}
			int outputs = this.outputs;
			for (int r = 0; r < y.length; r++) {
				long row = (long) r * outputs;
				int label = (int) y[r];
				switch (this.loss) {
					case MSE -> out.put(row, (y[r] - yMean) / yStd);
					case BINARY_CROSS_ENTROPY -> out.put(row, label);
					case SOFTMAX_CROSS_ENTROPY -> {
						for (int j = 0; j < outputs; j++) {
							out.put(row + j, (j == label) ? 1.0 : 0.0);
						}
					}
					case HINGE, SQUARED_HINGE -> {
						if (outputs == 1) {
							out.put(row, (label == 1) ? 1.0 : -1.0);
						}
						else {
							for (int j = 0; j < outputs; j++) {
								out.put(row + j, (j == label) ? 1.0 : -1.0);
							}
						}
					}
				}
			}
		}

	}

	private static void checkConfig(TrainingConfig config) {
		require(config.algorithm() != null && config.task() != null && config.optimizer() != null,
				"algorithm, task and optimizer are required");
		boolean lbfgs = config.optimizer() == OptimizerKind.LBFGS;
		// L-BFGS chooses its own step sizes and ignores the learning rate
		require(lbfgs || config.learningRate() > 0 && Double.isFinite(config.learningRate()),
				"learningRate must be a positive number");
		require(config.epochs() >= 1, "epochs must be at least 1");
		require(config.l1() >= 0 && Double.isFinite(config.l1()), "l1 must be zero or positive");
		require(config.l2() >= 0 && Double.isFinite(config.l2()), "l2 must be zero or positive");
		require(config.earlyStoppingPatience() >= 0, "earlyStoppingPatience must be zero or positive");
		require(config.minDelta() >= 0 && Double.isFinite(config.minDelta()), "minDelta must be zero or positive");
		require(config.dropout() >= 0 && config.dropout() < 1, "dropout must be in [0, 1)");
		if (config.optimizer() == OptimizerKind.MOMENTUM || config.optimizer() == OptimizerKind.NESTEROV) {
			require(config.momentum() >= 0 && config.momentum() < 1, "momentum must be in [0, 1)");
		}
		List<Integer> hidden = hiddenLayers(config);
		for (Integer width : hidden) {
			require(width != null && width >= 1, "hidden layer widths must be at least 1");
		}
		boolean mlp = config.algorithm() == Algorithm.MLP;
		require(hidden.isEmpty() || mlp, "only MLP has hidden layers");
		require(mlp || (config.dropout() == 0 && !config.batchNorm()), "dropout and batchNorm apply to MLP only");
		require(!lbfgs || !mlp, "the lbfgs optimizer supports linear models only (linear_regression, "
				+ "logistic_regression, linear_svm); use a gradient optimizer for mlp");
		Schedules.check(config.schedule());
	}

	/** Checks rows and targets; returns the row count. */
	private static int checkData(String name, DenseRows x, double[] y, int expectedColumns) {
		Objects.requireNonNull(x, name + " rows");
		Objects.requireNonNull(y, name + " targets");
		if (x.rows() != y.length) {
			throw new IllegalArgumentException(
					name + " rows (" + x.rows() + ") and targets (" + y.length + ") differ in count");
		}
		if (expectedColumns >= 0 && x.cols() != expectedColumns) {
			throw new IllegalArgumentException(name + " rows do not have " + expectedColumns + " values");
		}
		for (int b = 0; b < x.blockCount(); b++) {
			double[] data = x.block(b);
			for (int i = 0; i < data.length; i++) {
				if (!Double.isFinite(data[i])) {
					throw new IllegalArgumentException(
							name + " row " + ((long) b * x.blockRows() + i / x.cols()) + " has a non-finite value");
				}
			}
		}
		for (int r = 0; r < y.length; r++) {
			if (!Double.isFinite(y[r])) {
				throw new IllegalArgumentException(name + " target " + r + " is not finite");
			}
		}
		return x.rows();
	}

	/** Checks rows and targets; returns the row count. */
	private static int checkData(String name, double[][] x, double[] y, int expectedColumns) {
		Objects.requireNonNull(x, name + " rows");
		Objects.requireNonNull(y, name + " targets");
		if (x.length != y.length) {
			throw new IllegalArgumentException(
					name + " rows (" + x.length + ") and targets (" + y.length + ") differ in count");
		}
		int columns = expectedColumns >= 0 ? expectedColumns : (x.length > 0 ? x[0].length : 0);
		for (int r = 0; r < x.length; r++) {
			double[] row = x[r];
			if (row == null || row.length != columns) {
				throw new IllegalArgumentException(name + " row " + r + " does not have " + columns + " values");
			}
			for (double v : row) {
				if (!Double.isFinite(v)) {
					throw new IllegalArgumentException(name + " row " + r + " has a non-finite value");
				}
			}
			if (!Double.isFinite(y[r])) {
				throw new IllegalArgumentException(name + " target " + r + " is not finite");
			}
		}
		return x.length;
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	private static List<Integer> hiddenLayers(TrainingConfig config) {
		return config.hiddenLayers() != null ? config.hiddenLayers() : List.of();
	}

	private static int[] layerSizes(int features, TrainingConfig config, int outputs) {
		List<Integer> hidden = hiddenLayers(config);
		int[] sizes = new int[hidden.size() + 2];
		sizes[0] = features;
		for (int i = 0; i < hidden.size(); i++) {
			sizes[i + 1] = hidden.get(i);
		}
		sizes[sizes.length - 1] = outputs;
		return sizes;
	}

	/**
	 * Linear models start at zero (their losses are convex). MLP weights and biases,
	 * every layer: Glorot uniform as in scikit-learn's MLP ({@code U(-bound, bound)} with
	 * {@code bound = sqrt(f / (fan_in + fan_out))}, f = 2 for sigmoid networks and 6
	 * otherwise; biases drawn with the same bound), per layer the weights then the bias.
	 * He normal (std sqrt(2/fan_in), 2.4x larger for a 20-100 ReLU layer) left Adam at lr
	 * 1e-3 with a training loss 60% higher after 200 epochs and about 2.5 points less
	 * test accuracy than scikit-learn's MLPClassifier.
	 */
	private static double[] initialParameters(int[] sizes, TrainingConfig config, Activation activation,
			SplittableRandom random) {
		double[] params = new double[Math.toIntExact(TrainableNetwork.parameterCount(sizes))];
		if (config.algorithm() != Algorithm.MLP) {
			return params;
		}
		double factor = (activation == Activation.SIGMOID) ? 2.0 : 6.0;
		int offset = 0;
		for (int l = 0; l + 1 < sizes.length; l++) {
			int in = sizes[l];
			int out = sizes[l + 1];
			double bound = Math.sqrt(factor / (in + out));
			for (int i = 0; i < in * out + out; i++) {
				params[offset + i] = random.nextDouble(-bound, bound);
			}
			offset += in * out + out;
		}
		return params;
	}

	/** Fisher-Yates shuffle. */
	private static void shuffle(int[] order, SplittableRandom random) {
		for (int i = order.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int swap = order[i];
			order[i] = order[j];
			order[j] = swap;
		}
	}

	private static double mean(double[] values) {
		double sum = 0;
		for (double v : values) {
			sum += v;
		}
		return sum / values.length;
	}

	/**
	 * Population standard deviation; 1 when the targets are constant so the scaling stays
	 * finite.
	 */
	private static double populationStd(double[] values, double mean) {
		double sum = 0;
		for (double v : values) {
			sum += (v - mean) * (v - mean);
		}
		double std = Math.sqrt(sum / values.length);
		return (std > 0 && Double.isFinite(std)) ? std : 1.0;
	}

	/**
	 * A batch buffer cut into parts for {@link SplitBatches} (views of its rows; part k
	 * holds rows [start[k], start[k+1])), or none when a batch of its rows is not split.
	 */
	/**
	 * {@link TrainableNetwork#prepare} for batches of this many rows, cut into parts or
	 * not.
	 */
	private static void prepare(TrainableNetwork net, SplitBatches split, Parts parts, int rows) {
		if (parts == null) {
			net.prepare(rows);
			return;
		}
		for (int k = 0; k < parts.x.length; k++) {
			split.network(k).prepare(parts.x[k].rows);
		}
	}

	private record Parts(NativeMatrix[] x, NativeMatrix[] y, int[] start) {

		static Parts of(TrainableNetwork net, NativeMatrix x, NativeMatrix y) {
			if (x == null) {
				return null;
			}
			int parts = SplitBatches.parts(net, x.rows);
			if (parts < 2) {
				return null;
			}
			NativeMatrix[] xs = new NativeMatrix[parts];
			NativeMatrix[] ys = new NativeMatrix[parts];
			int[] start = new int[parts + 1];
			for (int k = 0; k <= parts; k++) {
				start[k] = SplitBatches.partStart(x.rows, parts, k);
			}
			for (int k = 0; k < parts; k++) {
				xs[k] = x.rowSlice(start[k], start[k + 1]);
				ys[k] = y.rowSlice(start[k], start[k + 1]);
			}
			return new Parts(xs, ys, start);
		}

	}

}
