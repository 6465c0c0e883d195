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

	/**
	 * Whether early stopping may choose how many epochs (boosting iterations) these
	 * parameters train. A fit that has no validation rows left to watch (the final model
	 * after cross-validation, the refit on every row) then trains exactly the count
	 * chosen, {@link FitOutput#bestEpoch} (the folds' mean after cross-validation),
	 * through {@link FitInput#epochsOverride}; otherwise it trains as the parameters say.
	 * When early stopping did not turn on after all, bestEpoch is the count trained, so
	 * the override changes nothing. Default: {@link #usesValidation}.
	 */
	default boolean earlyStopping(P parameters) {
		return usesValidation(parameters);
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
	 * What one fit's work is counted in against {@code fitserve.training.max-work} (units
	 * x training rows x fits) for these parameters and encoded width; null when the limit
	 * does not apply (exact solvers, kernel machines).
	 */
	default WorkUnits workUnits(P parameters, long encodedWidth) {
		return null;
	}

}
