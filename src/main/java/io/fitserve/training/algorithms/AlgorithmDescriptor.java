package io.fitserve.training.algorithms;

import java.util.List;

import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;

/**
 * Everything training needs to know about one algorithm: its wire name, the tasks it
 * trains, its hyperparameters (shape for the catalogue, defaults and validation), which
 * splits it needs, and how it fits. Found through {@link AlgorithmRegistry}; each
 * algorithm's descriptor lives in a package of its own with the code only it uses.
 *
 * @param <P> its parameter record
 */
public interface AlgorithmDescriptor<P extends TrainingParameters> {

	/** The lowercase snake_case name used on the wire. */
	String name();

	/** One sentence for the catalogue. */
	String description();

	/** The tasks it trains; exactly one when the algorithm implies its task. */
	List<Task> tasks();

	/**
	 * Its hyperparameters as the catalogue shows them, in the order error messages list
	 * them.
	 */
	List<ParameterSpec> parameters();

	default List<String> parameterNames() {
		return parameters().stream().map(ParameterSpec::name).toList();
	}

	/**
	 * Reads the given hyperparameters (only names of {@link #parameters()} reach here),
	 * filling in each default; problems go to the reader's error list.
	 * @param task the job's task; null when it could not be resolved
	 * @param classLabels the target's classes; null when unknown
	 */
	P resolve(ParameterReader in, Task task, List<String> classLabels);

	Class<P> parametersType();

	/**
	 * Whether training watches a validation split; only then is one held out by default
	 * (like scikit-learn, exact solvers train on every non-test row).
	 */
	default boolean usesValidation(P parameters) {
		return false;
	}

	/** Fits one model; long work, run outside any transaction. */
	FitOutput fit(P parameters, FitInput input, TrainingListener listener);

	/**
	 * Weights and biases of the model for the parameter limit; negative when the limit
	 * does not apply.
	 */
	default long modelParameters(P parameters, long inputs, int outputs) {
		return -1;
	}

	/** The field a too-large model is reported on. */
	default String modelParametersField() {
		return "features";
	}

	/**
	 * Whether epochs x rows counts against the work limit for these parameters and
	 * encoded width.
	 */
	default boolean iterative(P parameters, long encodedWidth) {
		return false;
	}

}
