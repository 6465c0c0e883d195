package io.fitserve.training.algorithms.mlp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.nn.Activation;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.training.algorithms.WorkUnits;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.ClassWeights;
import io.fitserve.training.algorithms.Resampling;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.GradientSettings;
import io.fitserve.training.algorithms.MlpParameters;
import io.fitserve.training.algorithms.NetworkFitting;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.Penalties;

/**
 * mlp: a multilayer perceptron (fully connected network) for classification or
 * regression, trained by a gradient optimizer with dropout and batch normalization as
 * options.
 */
public final class MlpAlgorithm implements AlgorithmDescriptor<MlpParameters> {

	static final GradientSettings.Defaults DEFAULTS = new GradientSettings.Defaults(OptimizerKind.ADAM, 0.001, 200, 200,
			0.0001, 0);

	static final List<Integer> HIDDEN_LAYERS = List.of(100);

	/**
	 * Only a sanity bound on one number: what limits a network's size is its parameter
	 * count (fitserve.training.max-parameters, checked by TrainingLimits with the count
	 * in the answer).
	 */
	public static final int MAX_LAYER_WIDTH = 1_000_000;

	@Override
	public String name() {
		return "mlp";
	}

	@Override
	public String description() {
		return "Multilayer perceptron (fully connected network) for classification or regression";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.CLASSIFICATION, Task.REGRESSION);
	}

	@Override
	public List<ParameterSpec> parameters() {
		List<String> optimizers = Arrays.stream(OptimizerKind.values())
			.filter(o -> o != OptimizerKind.LBFGS)
			.map(OptimizerKind::wireName)
			.toList();
		List<ParameterSpec> specs = new ArrayList<>(GradientSettings.specs(optimizers, tasks()));
		specs.addAll(List.of(Penalties.L2,
				new ParameterSpec("hiddenLayers", "integer_list", null, 1.0, false, (double) MAX_LAYER_WIDTH,
						"Widths of the hidden layers, 1 to 10 layers; the "
								+ "network may have at most fitserve.training.max-parameters weights",
						null),
				ParameterSpec.string("activation", GradientSettings.names(Activation.values()),
						"Activation of the hidden layers"),
				ParameterSpec.number("dropout", 0, false, 0.9, "Dropout probability of hidden units in training"),
				ParameterSpec.bool("batchNorm", "Batch normalization after each hidden layer"), ClassWeights.SPEC,
				Resampling.METHOD, Resampling.RATIO, Resampling.NEIGHBOURS));
		return List.copyOf(specs);
	}

	@Override
	public Class<MlpParameters> parametersType() {
		return MlpParameters.class;
	}

	@Override
	public MlpParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		String optimizer = GradientSettings.optimizer(in, DEFAULTS, true);
		GradientSettings gradient = GradientSettings.read(in, optimizer, DEFAULTS, task, classLabels);
		double l2 = Penalties.l2(in, DEFAULTS.l2());
		List<Integer> hidden = hiddenLayers(in);
		Activation a = in.choice("activation", Activation.values());
		String activation = (a == null ? Activation.RELU : a).wireName();
		double dropout = in.number("dropout", 0.0, 0, true, 0.9);
		boolean batchNorm = in.bool("batchNorm", false);
		Object classWeights = ClassWeights.read(in, task, classLabels);
		Resampling resampling = Resampling.read(in, task);
		return new MlpParameters(gradient, l2, hidden, activation, dropout, batchNorm, classWeights, resampling);
	}

	private static List<Integer> hiddenLayers(ParameterReader in) {
		Object value = in.raw("hiddenLayers");
		if (value == null) {
			return HIDDEN_LAYERS;
		}
		if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 10) {
			in.error("hiddenLayers", "must be a list of 1 to 10 layer widths, e.g. [64, 32]");
			return List.of();
		}
		List<Integer> widths = new ArrayList<>();
		for (Object o : list) {
			if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
					|| n.doubleValue() > MAX_LAYER_WIDTH) {
				in.error("hiddenLayers", "each width must be an integer from 1 to " + MAX_LAYER_WIDTH + ", got " + o);
				return List.of();
			}
			widths.add(n.intValue());
		}
		return List.copyOf(widths);
	}

	@Override
	public boolean usesValidation(MlpParameters p) {
		return NetworkFitting.usesValidation(p.gradient());
	}

	@Override
	public long modelParameters(MlpParameters p, long inputs, int outputs) {
		return NetworkFitting.parameters(inputs, p.hiddenLayers(), outputs);
	}

	@Override
	public String modelParametersField() {
		return "hyperparameters.hiddenLayers";
	}

	@Override
	public WorkUnits workUnits(MlpParameters p, long encodedWidth) {
		return WorkUnits.epochs(p.epochs());
	}

	@Override
	public FitOutput fit(MlpParameters p, FitInput in, TrainingListener listener) {
		FitInput.Prepared prepared = in.prepare(false);
		double[] classWeights = in.classification()
				? ClassWeights.resolve(p.classWeights(), in.classLabels(), in.classes(prepared.trainRows())) : null;
		Map<String, Object> details = in.details(prepared.preprocessing(), null, classWeights);
		NetworkFitting.Network network = new NetworkFitting.Network(Algorithm.MLP, p.gradient(), 0, p.l2(),
				p.hiddenLayers(), p.activation(), p.dropout(), p.batchNorm(), null);
		Resampling.Encoded train = Resampling.encode(p.resampling(), in, prepared, details);
		return NetworkFitting.fit(network, in, train, prepared, classWeights, details, listener);
	}

}
