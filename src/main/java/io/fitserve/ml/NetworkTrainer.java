package io.fitserve.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Trains dense networks (linear models are one-layer networks) with a hand-written mini-batch loop of ND4J matrix
 * operations in double precision. Deterministic for a given configuration and data: initialization and shuffling
 * draw from {@code SplittableRandom(config.seed())}, never from ND4J's shared global RNG.
 */
public final class NetworkTrainer {

	/** Relative margin by which a validation loss must beat the best so far to count as an improvement. */
	static final double IMPROVEMENT_TOLERANCE = 1e-12;

	private NetworkTrainer() {
	}

	/**
	 * Trains a network.
	 * @param yTrain REGRESSION: target values; CLASSIFICATION: class indices 0..numClasses-1 as doubles
	 * @param numClasses number of classes (ignored for REGRESSION)
	 * @param xVal validation rows; may be empty (or null): then no early stopping and validation losses are NaN
	 * @param listener progress and cancellation callback; may be null
	 * @throws IllegalArgumentException on inconsistent configuration or data
	 * @throws IllegalStateException when the training loss stops being finite (learning rate too high)
	 */
	public static TrainingResult train(TrainingConfig config, double[][] xTrain, double[] yTrain, int numClasses,
			double[][] xVal, double[] yVal, TrainingListener listener) {
		Objects.requireNonNull(config, "config");
		checkConfig(config);
		Head head = Head.of(config, numClasses);
		int rows = checkData("training", xTrain, yTrain, -1);
		if (rows == 0) {
			throw new IllegalArgumentException("no training rows");
		}
		int features = xTrain[0].length;
		if (features == 0) {
			throw new IllegalArgumentException("no feature columns");
		}
		boolean hasValidation = xVal != null && xVal.length > 0;
		if (hasValidation) {
			checkData("validation", xVal, yVal, features);
		}
		else if (yVal != null && yVal.length > 0) {
			throw new IllegalArgumentException("validation targets given without validation rows");
		}

		double yMean = 0;
		double yStd = 1;
		if (head.loss == LossKind.MSE) {
			yMean = mean(yTrain);
			yStd = populationStd(yTrain, yMean);
		}
		// the data copies are large and off-heap: free them when done rather than at some later GC
		try (NativeMatrix.Owner owned = new NativeMatrix.Owner()) {
			NativeMatrix x = owned.add(NativeMatrix.of(xTrain, features));
			NativeMatrix y = owned.add(head.targets(yTrain, numClasses, yMean, yStd));
			NativeMatrix xv = hasValidation ? owned.add(NativeMatrix.of(xVal, features)) : null;
			NativeMatrix yv = hasValidation ? owned.add(head.targets(yVal, numClasses, yMean, yStd)) : null;
			// regression losses are computed on standardized targets; report them in original units
			double lossScale = yStd * yStd;

			SplittableRandom random = new SplittableRandom(config.seed());
			int[] sizes = layerSizes(features, config, head.outputs);
			Activation activation = config.activation() != null ? config.activation() : Activation.RELU;
			TrainableNetwork net = new TrainableNetwork(sizes, activation, head.loss, config.l2(),
					initialParameters(sizes, config, activation, random));
			ParameterUpdater updater = ParameterUpdater.create(config.optimizer(), config.learningRate(),
					config.momentum(), net.parameterCount());

			int batchSize = (config.batchSize() <= 0 || config.batchSize() >= rows) ? rows : config.batchSize();
			boolean fullBatch = batchSize == rows;
			int[] order = new int[rows];
			Arrays.setAll(order, i -> i);
			NativeMatrix xBatch = null;
			NativeMatrix yBatch = null;
			NativeMatrix xTail = null;
			NativeMatrix yTail = null;
			if (!fullBatch) {
				xBatch = owned.add(NativeMatrix.allocate(batchSize, features));
				yBatch = owned.add(NativeMatrix.allocate(batchSize, head.outputs));
				int tail = rows % batchSize;
				if (tail > 0) {
					xTail = owned.add(NativeMatrix.allocate(tail, features));
					yTail = owned.add(NativeMatrix.allocate(tail, head.outputs));
				}
			}

			boolean earlyStopping = hasValidation && config.earlyStoppingPatience() > 0;
			List<EpochLoss> history = new ArrayList<>();
			double bestLoss = Double.POSITIVE_INFINITY;
			int bestEpoch = 0;
			INDArray bestParams = null;
			boolean stoppedEarly = false;
			boolean cancelled = false;

			epochs: for (int epoch = 1; epoch <= config.epochs(); epoch++) {
				if (!fullBatch) {
					shuffle(order, random);
				}
				double lossSum = 0;
				for (int start = 0; start < rows; start += batchSize) {
					if (listener != null && listener.cancelled()) {
						cancelled = true;
						break epochs;
					}
					NativeMatrix xb = x;
					NativeMatrix yb = y;
					if (!fullBatch) {
						int end = Math.min(rows, start + batchSize);
						xb = (end - start == batchSize) ? xBatch : xTail;
						yb = (end - start == batchSize) ? yBatch : yTail;
						xb.gather(x, order, start, end);
						yb.gather(y, order, start, end);
					}
					lossSum += net.forwardBackward(xb, yb);
					net.step(updater);
				}
				double trainLoss = lossSum / rows * lossScale;
				if (!Double.isFinite(trainLoss)) {
					throw new TrainingDivergedException("training diverged at epoch " + epoch
							+ ": the loss is no longer finite; lower the learning rate");
				}
				double validationLoss = hasValidation ? net.lossSum(xv, yv) / xVal.length * lossScale : Double.NaN;
				EpochLoss loss = new EpochLoss(epoch, trainLoss, validationLoss);
				history.add(loss);
				if (earlyStopping) {
					if (bestEpoch == 0 || validationLoss < bestLoss - IMPROVEMENT_TOLERANCE * Math.abs(bestLoss)) {
						bestLoss = validationLoss;
						bestEpoch = epoch;
						if (bestParams == null) {
							bestParams = net.params().dup();
						}
						else {
							bestParams.assign(net.params());
						}
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
				// a cancelled run returns the weights it has, which belong to the last completed epoch (or a later
				// partial one)
				bestEpoch = history.size();
			}
			else if (earlyStopping && bestParams != null && bestEpoch < history.size()) {
				net.params().assign(bestParams);
			}
			NetworkWeights weights = net.toWeights(head.output, yStd, yMean);
			return new TrainingResult(weights, List.copyOf(history), bestEpoch, stoppedEarly, cancelled);
		}
	}

	/**
	 * The same predictions as {@link Network#predictBatch}, computed with ND4J (the trainer's forward pass); for
	 * checking that the two agree.
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
					yield new Head(LossKind.HINGE, (numClasses == 2) ? 1 : numClasses, OutputKind.SVM);
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
			if (this.loss != LossKind.MSE) {
				for (double label : y) {
					if (label != Math.rint(label) || label < 0 || label >= numClasses) {
						throw new IllegalArgumentException(
								"class labels must be integers in 0.." + (numClasses - 1) + ", got " + label);
					}
				}
			}
			int outputs = this.outputs;
			NativeMatrix result = NativeMatrix.allocate(y.length, outputs);
			for (int r = 0; r < y.length; r++) {
				long row = (long) r * outputs;
				int label = (int) y[r];
				switch (this.loss) {
					case MSE -> result.ix.put(row, (y[r] - yMean) / yStd);
					case BINARY_CROSS_ENTROPY -> result.ix.put(row, label);
					case SOFTMAX_CROSS_ENTROPY -> {
						for (int j = 0; j < outputs; j++) {
							result.ix.put(row + j, (j == label) ? 1.0 : 0.0);
						}
					}
					case HINGE -> {
						if (outputs == 1) {
							result.ix.put(row, (label == 1) ? 1.0 : -1.0);
						}
						else {
							for (int j = 0; j < outputs; j++) {
								result.ix.put(row + j, (j == label) ? 1.0 : -1.0);
							}
						}
					}
				}
			}
			return result;
		}

	}

	private static void checkConfig(TrainingConfig config) {
		require(config.algorithm() != null && config.task() != null && config.optimizer() != null,
				"algorithm, task and optimizer are required");
		require(config.learningRate() > 0 && Double.isFinite(config.learningRate()),
				"learningRate must be a positive number");
		require(config.epochs() >= 1, "epochs must be at least 1");
		require(config.l2() >= 0 && Double.isFinite(config.l2()), "l2 must be zero or positive");
		require(config.earlyStoppingPatience() >= 0, "earlyStoppingPatience must be zero or positive");
		if (config.optimizer() == OptimizerKind.MOMENTUM) {
			require(config.momentum() >= 0 && config.momentum() < 1, "momentum must be in [0, 1)");
		}
		List<Integer> hidden = hiddenLayers(config);
		for (Integer width : hidden) {
			require(width != null && width >= 1, "hidden layer widths must be at least 1");
		}
		require(hidden.isEmpty() || config.algorithm() == Algorithm.MLP, "only MLP has hidden layers");
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
	 * Linear models start at zero (their losses are convex). MLP weights: He normal (std sqrt(2/fan_in)) for ReLU
	 * hidden layers, Glorot normal (std sqrt(2/(fan_in+fan_out))) for tanh/sigmoid hidden layers and the output
	 * layer; biases zero.
	 */
	private static double[] initialParameters(int[] sizes, TrainingConfig config, Activation activation,
			SplittableRandom random) {
		double[] params = new double[Math.toIntExact(TrainableNetwork.parameterCount(sizes))];
		if (config.algorithm() != Algorithm.MLP) {
			return params;
		}
		int offset = 0;
		int layers = sizes.length - 1;
		for (int l = 0; l < layers; l++) {
			int in = sizes[l];
			int out = sizes[l + 1];
			boolean hidden = l < layers - 1;
			double std = (hidden && activation == Activation.RELU) ? Math.sqrt(2.0 / in)
					: Math.sqrt(2.0 / (in + out));
			for (int i = 0; i < in * out; i++) {
				params[offset + i] = random.nextGaussian() * std;
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

	/** Population standard deviation; 1 when the targets are constant so the scaling stays finite. */
	private static double populationStd(double[] values, double mean) {
		double sum = 0;
		for (double v : values) {
			sum += (v - mean) * (v - mean);
		}
		double std = Math.sqrt(sum / values.length);
		return (std > 0 && Double.isFinite(std)) ? std : 1.0;
	}

}
