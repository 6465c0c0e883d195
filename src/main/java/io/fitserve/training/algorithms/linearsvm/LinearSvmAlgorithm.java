package io.fitserve.training.algorithms.linearsvm;

import java.util.ArrayList;
import java.util.List;

import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.ml.nn.SvmLoss;
import io.fitserve.training.algorithms.WorkUnits;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.ClassWeights;
import io.fitserve.training.algorithms.Resampling;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.GradientSettings;
import io.fitserve.training.algorithms.LinearSvmParameters;
import io.fitserve.training.algorithms.NetworkFitting;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.Penalties;

/**
 * linear_svm: a linear support vector machine on the (squared) hinge loss, one-vs-rest
 * for several classes.
 */
public final class LinearSvmAlgorithm implements AlgorithmDescriptor<LinearSvmParameters> {

	static final GradientSettings.Defaults DEFAULTS = new GradientSettings.Defaults(OptimizerKind.LBFGS, 0.01, 200, 64,
			0.0, 10);

	@Override
	public String name() {
		return "linear_svm";
	}

	@Override
	public String description() {
		return "Linear support vector machine on the (squared) hinge loss, one-vs-rest for several classes";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.CLASSIFICATION);
	}

	@Override
	public List<ParameterSpec> parameters() {
		List<ParameterSpec> specs = new ArrayList<>(
				GradientSettings.specs(GradientSettings.names(OptimizerKind.values()), tasks()));
		specs.addAll(List.of(Penalties.L1, Penalties.L2_OR_C, Penalties.C,
				ParameterSpec.string("loss", GradientSettings.names(SvmLoss.values()), "Hinge or squared hinge loss"),
				ClassWeights.SPEC, Resampling.METHOD, Resampling.RATIO, Resampling.NEIGHBOURS));
		return List.copyOf(specs);
	}

	@Override
	public Class<LinearSvmParameters> parametersType() {
		return LinearSvmParameters.class;
	}

	@Override
	public LinearSvmParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		String optimizer = GradientSettings.optimizer(in, DEFAULTS, false);
		GradientSettings gradient = GradientSettings.read(in, optimizer, DEFAULTS, task, classLabels);
		double l1 = Penalties.l1(in);
		Double c = Penalties.c(in);
		Double l2 = c == null ? Penalties.l2(in, DEFAULTS.l2()) : null;
		SvmLoss l = in.choice("loss", SvmLoss.values());
		String loss = (l == null ? SvmLoss.SQUARED_HINGE : l).wireName();
		Object classWeights = ClassWeights.read(in, task, classLabels);
		Resampling resampling = Resampling.read(in, task);
		return new LinearSvmParameters(gradient, l1, l2, c, loss, classWeights, resampling);
	}

	@Override
	public boolean usesValidation(LinearSvmParameters p) {
		return NetworkFitting.usesValidation(p.gradient());
	}

	@Override
	public long modelParameters(LinearSvmParameters p, long inputs, int outputs) {
		return NetworkFitting.parameters(inputs, null, outputs);
	}

	@Override
	public WorkUnits workUnits(LinearSvmParameters p, long encodedWidth) {
		return WorkUnits.epochs(p.epochs());
	}

	@Override
	public FitOutput fit(LinearSvmParameters p, FitInput in, TrainingListener listener) {
		return NetworkFitting.fitLinearClassifier(Algorithm.LINEAR_SVM, p.gradient(), p.l1(), p.l2(), p.C(),
				p.classWeights(), p.resampling(), p.loss(), in, listener);
	}

}
