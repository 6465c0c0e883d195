package io.fitserve.training.algorithms.logisticregression;

import java.util.ArrayList;
import java.util.List;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.training.algorithms.WorkUnits;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.ClassWeights;
import io.fitserve.training.algorithms.Resampling;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.GradientSettings;
import io.fitserve.training.algorithms.LogisticRegressionParameters;
import io.fitserve.training.algorithms.NetworkFitting;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.Penalties;

/**
 * logistic_regression: binary or multinomial (softmax), full-batch L-BFGS by default,
 * with L1/L2 penalties.
 */
public final class LogisticRegressionAlgorithm implements AlgorithmDescriptor<LogisticRegressionParameters> {

	static final GradientSettings.Defaults DEFAULTS = new GradientSettings.Defaults(OptimizerKind.LBFGS, 0.01, 200, 64,
			0.0, 10);

	@Override
	public String name() {
		return "logistic_regression";
	}

	@Override
	public String description() {
		return "Logistic regression (binary or multinomial softmax), L-BFGS by default, with L1/L2 penalties";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.CLASSIFICATION);
	}

	@Override
	public List<ParameterSpec> parameters() {
		List<ParameterSpec> specs = new ArrayList<>(
				GradientSettings.specs(GradientSettings.names(OptimizerKind.values()), tasks()));
		specs.addAll(List.of(Penalties.L1, Penalties.L2_OR_C, Penalties.C, ClassWeights.SPEC, Resampling.METHOD,
				Resampling.RATIO, Resampling.NEIGHBOURS));
		return List.copyOf(specs);
	}

	@Override
	public Class<LogisticRegressionParameters> parametersType() {
		return LogisticRegressionParameters.class;
	}

	@Override
	public LogisticRegressionParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		String optimizer = GradientSettings.optimizer(in, DEFAULTS, false);
		GradientSettings gradient = GradientSettings.read(in, optimizer, DEFAULTS, task, classLabels);
		double l1 = Penalties.l1(in);
		Double c = Penalties.c(in);
		Double l2 = c == null ? Penalties.l2(in, DEFAULTS.l2()) : null;
		Object classWeights = ClassWeights.read(in, task, classLabels);
		Resampling resampling = Resampling.read(in, task);
		return new LogisticRegressionParameters(gradient, l1, l2, c, classWeights, resampling);
	}

	@Override
	public boolean usesValidation(LogisticRegressionParameters p) {
		return NetworkFitting.usesValidation(p.gradient());
	}

	@Override
	public long modelParameters(LogisticRegressionParameters p, long inputs, int outputs) {
		return NetworkFitting.parameters(inputs, null, outputs);
	}

	@Override
	public WorkUnits workUnits(LogisticRegressionParameters p, long encodedWidth) {
		return WorkUnits.epochs(p.epochs());
	}

	@Override
	public FitOutput fit(LogisticRegressionParameters p, FitInput in, TrainingListener listener) {
		return NetworkFitting.fitLinearClassifier(Algorithm.LOGISTIC_REGRESSION, p.gradient(), p.l1(), p.l2(), p.C(),
				p.classWeights(), p.resampling(), null, in, listener);
	}

}
