package io.fitserve.training.algorithms.gradientboosting;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.trees.GradientBoostingParams;
import io.fitserve.ml.trees.GradientBoostingTrainer;
import io.fitserve.ml.trees.TreeDataset;
import io.fitserve.ml.trees.TreeEnsemble;
import io.fitserve.ml.trees.TreeLoss;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.ClassWeights;
import io.fitserve.training.algorithms.Resampling;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.GradientBoostingParameters;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.TreeFitting;
import io.fitserve.training.algorithms.WorkUnits;

/**
 * gradient_boosting: histogram gradient boosting of regression trees (scikit-learn's
 * HistGradientBoostingClassifier/Regressor), on raw numbers and category codes with
 * missing values routed by the trees.
 *
 * <p>
 * Early stopping: {@code true} watches the job's validation split (held out by default
 * because {@link #usesValidation} says so); {@code auto} (the default, as scikit-learn)
 * is on only when more than {@link #AUTO_EARLY_STOPPING_ROWS} rows train. The row count
 * is not known when the spec is resolved, so {@code auto} holds out no validation split
 * of the job: like scikit-learn, it carves {@link #AUTO_VALIDATION_FRACTION} of the
 * training rows out itself when it turns on (or watches the job's validation split when
 * the job has one).
 */
public final class GradientBoostingAlgorithm implements AlgorithmDescriptor<GradientBoostingParameters> {

	/** scikit-learn's early_stopping="auto" threshold (n_samples > 10000). */
	public static final int AUTO_EARLY_STOPPING_ROWS = 10_000;

	/** scikit-learn's validation_fraction. */
	public static final double AUTO_VALIDATION_FRACTION = 0.1;

	private static final List<String> CLASSIFICATION_LOSSES = List.of("log_loss");

	private static final List<String> REGRESSION_LOSSES = List.of("squared_error", "absolute_error", "huber");

	@Override
	public String name() {
		return "gradient_boosting";
	}

	@Override
	public String description() {
		return "Histogram gradient boosting of decision trees (as scikit-learn's HistGradientBoosting), with "
				+ "native categorical features and missing values";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.CLASSIFICATION, Task.REGRESSION);
	}

	@Override
	public List<ParameterSpec> parameters() {
		List<String> losses = new ArrayList<>(CLASSIFICATION_LOSSES);
		losses.addAll(REGRESSION_LOSSES);
		return List.of(
				ParameterSpec.string("loss", losses,
						"Loss: log_loss (classification), squared_error (regression default), absolute_error or "
								+ "huber (regression)"),
				ParameterSpec.integer("nEstimators", 1, 10_000,
						"Boosting iterations at most (scikit-learn's max_iter); one tree per class per iteration"),
				ParameterSpec.number("learningRate", 0, true, 10, "Shrinkage of each tree's leaf values"),
				ParameterSpec.integer("maxLeaves", 2, 65_536, "Leaves per tree (grown best-first)"),
				ParameterSpec.integer("maxDepth", 0, 1000, "Maximum depth of a tree; 0 = unlimited"),
				ParameterSpec.integer("minSamplesLeaf", 1, 1_000_000, "Minimum training rows per leaf"),
				ParameterSpec.number("l2", 0, false, 1e6, "L2 regularization of the leaf values"), TreeFitting.MAX_BINS,
				ParameterSpec.number("subsample", 0, true, 1, "Fraction of the rows each iteration trains on"),
				ParameterSpec.number("colsampleByTree", 0, true, 1, "Fraction of the features each tree may use"),
				ParameterSpec
					.string("earlyStopping", List.of("auto", "true", "false"),
							"Stop when the validation loss stops improving: \"auto\" (on when more than 10000 rows "
									+ "train, on 10% of them), true (watches the job's validation split) or false; "
									+ "true and false may also be JSON booleans")
					.or(ParameterSpec.bool("earlyStopping", "true or false")),
				ParameterSpec.integer("earlyStoppingRounds", 1, 10_000,
						"Iterations without improvement of the validation loss before stopping"),
				ClassWeights.SPEC, Resampling.METHOD, Resampling.RATIO, Resampling.NEIGHBOURS);
	}

	@Override
	public Class<GradientBoostingParameters> parametersType() {
		return GradientBoostingParameters.class;
	}

	@Override
	public GradientBoostingParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		String loss = loss(in, task);
		int nEstimators = (int) in.integer("nEstimators", 100, 1, 10_000);
		double learningRate = in.number("learningRate", 0.1, 0, false, 10);
		int maxLeaves = (int) in.integer("maxLeaves", 31, 2, 65_536);
		int maxDepth = (int) in.integer("maxDepth", 0, 0, 1000);
		int minSamplesLeaf = (int) in.integer("minSamplesLeaf", 20, 1, 1_000_000);
		double l2 = in.number("l2", 0.0, 0, true, 1e6);
		int maxBins = (int) in.integer("maxBins", 255, 2, 255);
		double subsample = in.number("subsample", 1.0, 0, false, 1);
		double colsample = in.number("colsampleByTree", 1.0, 0, false, 1);
		String earlyStopping = earlyStopping(in);
		int rounds = (int) in.integer("earlyStoppingRounds", 10, 1, 10_000);
		Object classWeights = ClassWeights.read(in, task, classLabels);
		Resampling resampling = Resampling.read(in, task);
		return new GradientBoostingParameters(loss, nEstimators, learningRate, maxLeaves, maxDepth, minSamplesLeaf, l2,
				maxBins, subsample, colsample, earlyStopping, rounds, classWeights, resampling);
	}

	private static String loss(ParameterReader in, Task task) {
		Object value = in.raw("loss");
		String fallback = (task == Task.REGRESSION) ? "squared_error" : "log_loss";
		if (value == null) {
			return fallback;
		}
		List<String> allowed = (task == Task.REGRESSION) ? REGRESSION_LOSSES
				: (task == Task.CLASSIFICATION) ? CLASSIFICATION_LOSSES : null;
		if (allowed == null) {
			if (CLASSIFICATION_LOSSES.contains(value) || REGRESSION_LOSSES.contains(value)) {
				return (String) value;
			}
			in.error("loss", "must be one of log_loss, squared_error, absolute_error, huber");
			return fallback;
		}
		if (!allowed.contains(value)) {
			in.error("loss", "must be one of " + String.join(", ", allowed) + " for " + task.wireName());
			return fallback;
		}
		return (String) value;
	}

	private static String earlyStopping(ParameterReader in) {
		Object value = in.raw("earlyStopping");
		if (value == null) {
			return "auto";
		}
		if (value instanceof Boolean b) {
			return b.toString();
		}
		if ("auto".equals(value) || "true".equals(value) || "false".equals(value)) {
			return (String) value;
		}
		in.error("earlyStopping", "must be \"auto\", true or false");
		return "auto";
	}

	/** Only {@code earlyStopping: true} holds out the job's validation split. */
	@Override
	public boolean usesValidation(GradientBoostingParameters p) {
		return "true".equals(p.earlyStopping());
	}

	/**
	 * {@code true}, and {@code auto} (which turns on with more than
	 * {@link #AUTO_EARLY_STOPPING_ROWS} rows): a fit without validation rows then trains
	 * the iterations it kept (all of them when it did not turn on).
	 */
	@Override
	public boolean earlyStopping(GradientBoostingParameters p) {
		return !"false".equals(p.earlyStopping());
	}

	@Override
	public WorkUnits workUnits(GradientBoostingParameters p, long encodedWidth) {
		return WorkUnits.estimators(p.nEstimators());
	}

	@Override
	public FitOutput fit(GradientBoostingParameters p, FitInput in, TrainingListener listener) {
		FitInput.Prepared prepared = TreeFitting.prepare(in);
		int[] trainRows = prepared.trainRows();
		int[] validationRows = (in.validationRows() != null) ? in.validationRows() : new int[0];
		boolean earlyStopping = switch (p.earlyStopping()) {
			case "true" -> true;
			case "false" -> false;
			default -> trainRows.length + validationRows.length > AUTO_EARLY_STOPPING_ROWS;
		};
		int nEstimators = p.nEstimators();
		if (in.epochsOverride() > 0) {
			// no validation rows left (the final model after cross-validation, the refit
			// on every row): the iterations early stopping kept
			nEstimators = in.epochsOverride();
			earlyStopping = false;
		}
		if (earlyStopping && validationRows.length == 0) {
			// auto on a large dataset (or true without a validation split): hold out 10%
			// of the training rows, as scikit-learn does
			int[][] split = TreeFitting.holdOut(trainRows, AUTO_VALIDATION_FRACTION, in.seed());
			trainRows = split[0];
			validationRows = split[1];
			prepared = new FitInput.Prepared(trainRows,
					TreeFitting
						.prepare(new FitInput(in.task(), in.features(), in.y(), in.classLabels(), trainRows, new int[0],
								0, in.seed()))
						.preprocessing());
		}
		double[] classWeights = in.classification()
				? ClassWeights.resolve(p.classWeights(), in.classLabels(), in.classes(trainRows)) : null;
		Map<String, Object> resampled = new java.util.LinkedHashMap<>();
		TreeDataset train = TreeFitting.training(in, prepared.preprocessing(), trainRows, classWeights, p.resampling(),
				resampled);
		TreeDataset validation = (earlyStopping && validationRows.length > 0)
				? TreeFitting.dataset(in, prepared.preprocessing(), validationRows, classWeights) : null;
		GradientBoostingParams params = GradientBoostingParams.defaults(lossOf(p.loss()))
			.withNEstimators(nEstimators)
			.withLearningRate(p.learningRate())
			.withTree(p.maxLeaves(), p.maxDepth(), p.minSamplesLeaf())
			.withL2(p.l2())
			.withMaxBins(p.maxBins())
			.withSampling(p.subsample(), p.colsampleByTree(), in.seed());
		params = params.withEarlyStopping(earlyStopping ? p.earlyStoppingRounds() : 0, params.tol(),
				params.restoreBest());
		List<EpochLoss> history = new ArrayList<>();
		TreeEnsemble model;
		try {
			model = GradientBoostingTrainer.fit(params, TreeFitting.kinds(prepared.preprocessing(), p.maxBins()), train,
					validation, in.numClasses(), TreeFitting.listener(listener, nEstimators, history));
		}
		catch (CancellationException ex) {
			return FitOutput.cancelled(in.details(prepared.preprocessing(), null, classWeights));
		}
		Map<String, Object> details = TreeFitting.details(in, prepared.preprocessing(), classWeights, model);
		details.putAll(resampled);
		details.put("earlyStopping", earlyStopping);
		details.put("iterationsRun", model.iterationsRun());
		boolean stoppedEarly = model.iterationsRun() < nEstimators;
		return new FitOutput(TreeFitting.artifact(in, prepared.preprocessing(), model), List.copyOf(history),
				model.iterations(), stoppedEarly, false, details);
	}

	private static TreeLoss lossOf(String loss) {
		return switch (loss) {
			case "squared_error" -> TreeLoss.SQUARED_ERROR;
			case "absolute_error" -> TreeLoss.ABSOLUTE_ERROR;
			case "huber" -> TreeLoss.HUBER;
			default -> TreeLoss.LOG_LOSS;
		};
	}

}
