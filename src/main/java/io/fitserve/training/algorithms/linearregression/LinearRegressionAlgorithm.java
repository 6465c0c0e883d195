package io.fitserve.training.algorithms.linearregression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fitserve.ml.data.Blocks;
import io.fitserve.ml.Algorithm;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.Predictor;
import io.fitserve.ml.linear.LinearSolver;
import io.fitserve.ml.linear.LinearSolvers;
import io.fitserve.ml.nn.NetworkWeights;
import io.fitserve.ml.nn.OptimizerKind;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.training.algorithms.WorkUnits;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.GradientSettings;
import io.fitserve.training.algorithms.LinearRegressionParameters;
import io.fitserve.training.algorithms.NetworkFitting;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.Penalties;

/**
 * linear_regression: exact least squares through the normal equations (up to
 * {@link #MAX_EXACT_FEATURES} encoded features by default), or a gradient optimizer with
 * L1/L2 penalties.
 */
public final class LinearRegressionAlgorithm implements AlgorithmDescriptor<LinearRegressionParameters> {

	/** The auto solver uses the normal equations up to this many encoded features. */
	public static final int MAX_EXACT_FEATURES = 2000;

	static final GradientSettings.Defaults DEFAULTS = new GradientSettings.Defaults(OptimizerKind.ADAM, 0.01, 200, 64,
			0.0, 10);

	/**
	 * Below this many encoded values the normal equations are summed on the job's thread.
	 */
	private static final long PARALLEL_VALUES = 1 << 16;

	@Override
	public String name() {
		return "linear_regression";
	}

	@Override
	public String description() {
		return "Least-squares linear regression: normal equations, or a gradient optimizer with L1/L2 penalties";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.REGRESSION);
	}

	@Override
	public List<ParameterSpec> parameters() {
		List<ParameterSpec> specs = new ArrayList<>(
				GradientSettings.specs(GradientSettings.names(OptimizerKind.values()), tasks()));
		specs.add(ParameterSpec.string("solver", GradientSettings.names(LinearSolver.values()),
				"auto uses the normal equations up to " + MAX_EXACT_FEATURES
						+ " encoded features and the optimizer beyond; giving an "
						+ "optimizer without a solver selects gradient"));
		specs.add(Penalties.L1);
		specs.add(Penalties.L2);
		return List.copyOf(specs);
	}

	@Override
	public Class<LinearRegressionParameters> parametersType() {
		return LinearRegressionParameters.class;
	}

	@Override
	public LinearRegressionParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		String optimizer = GradientSettings.optimizer(in, DEFAULTS, false);
		LinearSolver ls = in.choice("solver", LinearSolver.values());
		String solver = (ls == null ? (in.has("optimizer") ? LinearSolver.GRADIENT : LinearSolver.AUTO) : ls)
			.wireName();
		GradientSettings gradient = GradientSettings.read(in, optimizer, DEFAULTS, task, classLabels);
		double l1 = Penalties.l1(in);
		double l2 = Penalties.l2(in, DEFAULTS.l2());
		return new LinearRegressionParameters(gradient, solver, l1, l2);
	}

	@Override
	public boolean usesValidation(LinearRegressionParameters p) {
		return "gradient".equals(p.solver()) && NetworkFitting.usesValidation(p.gradient());
	}

	@Override
	public long modelParameters(LinearRegressionParameters p, long inputs, int outputs) {
		return NetworkFitting.parameters(inputs, null, outputs);
	}

	@Override
	public WorkUnits workUnits(LinearRegressionParameters p, long encodedWidth) {
		boolean iterative = "gradient".equals(p.solver())
				|| "auto".equals(p.solver()) && encodedWidth > MAX_EXACT_FEATURES;
		return iterative ? WorkUnits.epochs(p.epochs()) : null;
	}

	@Override
	public FitOutput fit(LinearRegressionParameters p, FitInput in, TrainingListener listener) {
		FitInput.Prepared prepared = in.prepare(false);
		Preprocessing preprocessing = prepared.preprocessing();
		Map<String, Object> details = in.details(preprocessing, null, null);
		if (useNormalEquation(p, preprocessing)) {
			details.put("solver", "normal_equation");
			NetworkWeights weights = normalEquation(preprocessing, in, prepared.trainRows(), p.l2());
			return FitOutput.exact(
					new ModelArtifact(in.task(), in.classLabels(), preprocessing, Predictor.network(weights)), details);
		}
		details.put("solver", "gradient");
		NetworkFitting.Network network = new NetworkFitting.Network(Algorithm.LINEAR_REGRESSION, p.gradient(), p.l1(),
				p.l2(), null, null, 0, false, null);
		return NetworkFitting.fit(network, in, prepared, null, details, listener);
	}

	private static boolean useNormalEquation(LinearRegressionParameters p, Preprocessing preprocessing) {
		return switch (p.solver()) {
			case "normal_equation" -> true;
			case "gradient" -> false;
			default -> p.l1() == 0 && preprocessing.outputWidth() <= MAX_EXACT_FEATURES;
		};
	}

	/**
	 * Exact ridge from the encoded rows a block at a time: no full copy of the training
	 * data.
	 */
	private static NetworkWeights normalEquation(Preprocessing preprocessing, FitInput in, int[] trainRows, double l2) {
		Preprocessing.Encoder encoder = preprocessing.encoder(in.features());
		int width = encoder.width();
		int threads = (long) trainRows.length * width >= PARALLEL_VALUES ? Blocks.threads() : 1;
		// the targets are read by stored row as each block is added: no copy of them in
		// training-row order (8 MB at 1M rows)
		return LinearSolvers.ridge(trainRows.length, width,
				(from, to, out) -> encoder.encodeColumns(trainRows, from, to, out), in.y(), trainRows, l2, threads);
	}

}
