package io.fitserve.training.algorithms;

import java.util.List;
import java.util.Map;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.Predictor;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.LearningRateSchedule;
import io.fitserve.ml.nn.Monitor;
import io.fitserve.ml.nn.NetworkTrainer;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.ml.nn.ScheduleKind;
import io.fitserve.ml.nn.SvmLoss;
import io.fitserve.ml.nn.TrainingConfig;
import io.fitserve.ml.nn.TrainingResult;

/**
 * Fits a network (a linear model is a network of one layer) with the ND4J trainer: what
 * the four gradient-trained algorithms share.
 */
public final class NetworkFitting {

	private NetworkFitting() {
	}

	/**
	 * The network's shape and penalties.
	 *
	 * @param kind which network the trainer builds (output layer and loss)
	 * @param l2 the l2 the trainer applies (C already turned into l2)
	 */
	public record Network(Algorithm kind, GradientSettings gradient, double l1, double l2, List<Integer> hiddenLayers,
			String activation, double dropout, boolean batchNorm, String loss) {
	}

	/**
	 * Encodes the training and validation rows and trains; details gets nothing more.
	 */
	public static FitOutput fit(Network network, FitInput in, FitInput.Prepared prepared, double[] classWeights,
			Map<String, Object> details, TrainingListener listener) {
		return fit(network, in, Resampling.encode(null, in, prepared, null), prepared, classWeights, details, listener);
	}

	/**
	 * Trains on the given (possibly resampled) training rows; the validation rows are
	 * encoded as they are.
	 */
	public static FitOutput fit(Network network, FitInput in, Resampling.Encoded train, FitInput.Prepared prepared,
			double[] classWeights, Map<String, Object> details, TrainingListener listener) {
		DenseRows xVal = prepared.encode(in.features(), in.validationRows());
		TrainingConfig config = config(network, in, classWeights);
		TrainingResult result = NetworkTrainer.train(config, train.x(), train.y(), in.numClasses(), xVal,
				in.targets(in.validationRows()), listener);
		return new FitOutput(
				new ModelArtifact(in.task(), in.classLabels(), prepared.preprocessing(),
						Predictor.network(result.weights())),
				result.history(), result.bestEpoch(), result.stoppedEarly(), result.cancelled(), details);
	}

	/**
	 * A linear classifier (logistic_regression, linear_svm): class weights on the
	 * training rows, C turned into l2, and the details training reports.
	 */
	public static FitOutput fitLinearClassifier(Algorithm kind, GradientSettings gradient, double l1, Double l2,
			Double c, Object classWeightsSpec, Resampling resampling, String loss, FitInput in,
			TrainingListener listener) {
		FitInput.Prepared prepared = in.prepare(false);
		double[] classWeights = ClassWeights.resolve(classWeightsSpec, in.classLabels(),
				in.classes(prepared.trainRows()));
		Map<String, Object> resampled = new java.util.LinkedHashMap<>();
		Resampling.Encoded train = Resampling.encode(resampling, in, prepared, resampled);
		// C is per row trained on, as scikit-learn's C on the resampled rows of a
		// pipeline
		double effectiveL2 = Penalties.effectiveL2(c, l2, train.count());
		Map<String, Object> details = in.details(prepared.preprocessing(), c != null ? effectiveL2 : null,
				classWeights);
		details.putAll(resampled);
		Network network = new Network(kind, gradient, l1, effectiveL2, null, null, 0, false, loss);
		return fit(network, in, train, prepared, classWeights, details, listener);
	}

	static TrainingConfig config(Network n, FitInput in, double[] classWeights) {
		GradientSettings g = n.gradient();
		ScheduleSettings s = g.schedule();
		LearningRateSchedule schedule = new LearningRateSchedule(ScheduleKind.fromWireName(s.type()),
				s.stepSize() == null ? 10 : s.stepSize(), s.gamma() == null ? 0.5 : s.gamma(),
				s.warmupEpochs() == null ? 0 : s.warmupEpochs(), s.patience() == null ? 5 : s.patience(),
				s.factor() == null ? 0.5 : s.factor());
		boolean fixedEpochs = in.epochsOverride() > 0;
		return new TrainingConfig(n.kind(), in.task(), OptimizerKind.fromWireName(g.optimizer()), g.learningRate(),
				fixedEpochs ? in.epochsOverride() : g.epochs(), g.batchSize(), n.l1(), n.l2(),
				n.hiddenLayers() == null ? List.of() : n.hiddenLayers(),
				n.activation() == null ? Activation.RELU : Activation.fromWireName(n.activation()), n.dropout(),
				n.batchNorm(), fixedEpochs ? 0 : g.earlyStoppingPatience(), g.earlyStoppingMinDelta(),
				Monitor.fromWireName(g.earlyStoppingMonitor()), schedule, g.momentum(),
				n.loss() == null ? SvmLoss.HINGE : SvmLoss.fromWireName(n.loss()), classWeights, in.seed());
	}

	/** Early stopping watches the validation split when its patience is above 0. */
	public static boolean usesValidation(GradientSettings g) {
		return !g.lbfgs() && g.earlyStoppingPatience() > 0;
	}

	/** Weights and biases of a network with these hidden layers (none: linear). */
	public static long parameters(long inputs, List<Integer> hidden, int outputs) {
		long total = 0;
		long in = inputs;
		if (hidden != null) {
			for (int width : hidden) {
				total += (in + 1) * width;
				in = width;
			}
		}
		return total + (in + 1) * outputs;
	}

}
