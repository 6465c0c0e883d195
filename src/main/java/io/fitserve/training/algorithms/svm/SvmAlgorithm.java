package io.fitserve.training.algorithms.svm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.Predictor;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.kernel.Kernel;
import io.fitserve.ml.kernel.KernelModel;
import io.fitserve.ml.kernel.KernelSvmConfig;
import io.fitserve.ml.kernel.KernelSvmTrainer;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.ClassWeights;
import io.fitserve.training.algorithms.Resampling;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.GradientSettings;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.Penalties;
import io.fitserve.training.algorithms.SvmParameters;

/**
 * svm: a kernel support vector machine (rbf, poly or linear kernel) trained with SMO,
 * one-vs-one for several classes; a Nystroem approximation beyond {@link #MAX_EXACT_ROWS}
 * training rows.
 */
public final class SvmAlgorithm implements AlgorithmDescriptor<SvmParameters> {

	/**
	 * Kernel SVMs solve the exact dual up to this many training rows, and a Nystroem
	 * approximation beyond.
	 */
	public static final int MAX_EXACT_ROWS = 5000;

	static final int APPROXIMATION_COMPONENTS = 1000;

	@Override
	public String name() {
		return "svm";
	}

	@Override
	public String description() {
		return "Kernel support vector machine (rbf, poly or linear kernel) trained with SMO, one-vs-one for several "
				+ "classes";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.CLASSIFICATION);
	}

	@Override
	public List<ParameterSpec> parameters() {
		return List.of(Penalties.C, ClassWeights.SPEC, Resampling.METHOD, Resampling.RATIO, Resampling.NEIGHBOURS,
				ParameterSpec.string("kernel", GradientSettings.names(Kernel.values()), "Kernel function"),
				ParameterSpec
					.string("gamma", List.of("scale", "auto"),
							"Kernel coefficient (rbf, poly): \"scale\" "
									+ "(1/(features * variance)), \"auto\" (1/features) or a number > 0")
					.or(ParameterSpec.number("gamma", 0, true, "A kernel coefficient > 0")),
				ParameterSpec.integer("degree", 1, 10, "Degree of the poly kernel"),
				ParameterSpec.number("coef0", -1e6, false, 1e6, "Independent term of the poly kernel"),
				ParameterSpec.bool("probabilities", "Calibrate probabilities with Platt scaling (as scikit-learn's "
						+ "SVC(probability=True)); otherwise labels follow the decision function"));
	}

	@Override
	public Class<SvmParameters> parametersType() {
		return SvmParameters.class;
	}

	@Override
	public SvmParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		Double c = Penalties.c(in);
		Object classWeights = ClassWeights.read(in, task, classLabels);
		Resampling resampling = Resampling.read(in, task);
		Kernel k = in.choice("kernel", Kernel.values());
		String kernel = (k == null ? Kernel.RBF : k).wireName();
		Object gamma = gamma(in);
		int degree = (int) in.integer("degree", 3, 1, 10);
		double coef0 = in.number("coef0", 0.0, -1e6, true, 1e6);
		boolean probabilities = in.bool("probabilities", false);
		return new SvmParameters(c, kernel, gamma, degree, coef0, probabilities, classWeights, resampling);
	}

	private static Object gamma(ParameterReader in) {
		Object value = in.raw("gamma");
		if (value == null) {
			return "scale";
		}
		if ("scale".equals(value) || "auto".equals(value)) {
			return value;
		}
		if (value instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
			return n.doubleValue();
		}
		in.error("gamma", "must be \"scale\", \"auto\" or a number > 0");
		return "scale";
	}

	@Override
	public FitOutput fit(SvmParameters p, FitInput in, TrainingListener listener) {
		// the split's order, which the working-set choice can depend on
		FitInput.Prepared prepared = in.prepare(true);
		int[] trainRows = prepared.trainRows();
		double[] classWeights = ClassWeights.resolve(p.classWeights(), in.classLabels(), in.classes(trainRows));
		Map<String, Object> resampled = new java.util.LinkedHashMap<>();
		Resampling.Encoded train = Resampling.encode(p.resampling(), in, prepared, resampled);
		double l2 = Penalties.effectiveL2(p.C(), null, train.count());
		Map<String, Object> details = in.details(prepared.preprocessing(), p.C() != null ? l2 : null, classWeights);
		details.putAll(resampled);
		DenseRows xTrain = train.x();
		int width = prepared.preprocessing().outputWidth();
		KernelSvmConfig config = new KernelSvmConfig(Kernel.fromWireName(p.kernel()), p.C(), gamma(p.gamma(), width),
				p.degree(), p.coef0(), p.probabilities(), MAX_EXACT_ROWS, APPROXIMATION_COMPONENTS, classWeights,
				in.seed());
		KernelModel kernel;
		try {
			kernel = KernelSvmTrainer.train(config, xTrain.toArrays(), train.classes(), in.numClasses(), listener);
		}
		catch (CancellationException ex) {
			return FitOutput.cancelled(details);
		}
		details.put("svmApproximation", kernel.approximation());
		return FitOutput.exact(
				new ModelArtifact(in.task(), in.classLabels(), prepared.preprocessing(), Predictor.kernel(kernel)),
				details);
	}

	/**
	 * scikit-learn's "scale" is 1/(features * var(X)): -1 asks the trainer to compute it;
	 * on standardized inputs var(X) is close to 1 but not exactly.
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
