package io.fitserve.training.algorithms.randomforest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.Task;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.trees.RandomForestParams;
import io.fitserve.ml.trees.RandomForestTrainer;
import io.fitserve.ml.trees.TreeDataset;
import io.fitserve.ml.trees.TreeEnsemble;
import io.fitserve.training.algorithms.WorkUnits;
import io.fitserve.training.algorithms.AlgorithmDescriptor;
import io.fitserve.training.algorithms.ClassWeights;
import io.fitserve.training.algorithms.Resampling;
import io.fitserve.training.algorithms.FitInput;
import io.fitserve.training.algorithms.FitOutput;
import io.fitserve.training.algorithms.ParameterReader;
import io.fitserve.training.algorithms.ParameterSpec;
import io.fitserve.training.algorithms.RandomForestParameters;
import io.fitserve.training.algorithms.TreeFitting;

/**
 * random_forest: bagged decision trees (scikit-learn's RandomForestClassifier/Regressor)
 * on raw numbers and category codes, with missing values routed by the trees. Trains on
 * every non-test row (no validation split).
 */
public final class RandomForestAlgorithm implements AlgorithmDescriptor<RandomForestParameters> {

	@Override
	public String name() {
		return "random_forest";
	}

	@Override
	public String description() {
		return "Random forest of decision trees (as scikit-learn's RandomForest), with native categorical features "
				+ "and missing values";
	}

	@Override
	public List<Task> tasks() {
		return List.of(Task.CLASSIFICATION, Task.REGRESSION);
	}

	@Override
	public List<ParameterSpec> parameters() {
		return List.of(ParameterSpec.integer("nEstimators", 1, 10_000, "Trees"),
				ParameterSpec.integer("maxDepth", 0, 1000, "Maximum depth of a tree; 0 = unlimited"),
				ParameterSpec.integer("minSamplesLeaf", 1, 1_000_000, "Minimum training rows per leaf"),
				ParameterSpec.integer("minSamplesSplit", 2, 1_000_000, "Minimum training rows to split a node"),
				ParameterSpec
					.string("maxFeatures", List.of("sqrt", "log2"),
							"Features tried per split: \"sqrt\" (classification default), \"log2\" or a fraction "
									+ "in (0, 1] of the features (1.0, all of them, is the regression default)")
					.or(ParameterSpec.number("maxFeatures", 0, true, 1, "A fraction of the features")),
				ParameterSpec.bool("bootstrap", "Train each tree on a bootstrap sample of the rows (else on all)"),
				TreeFitting.MAX_BINS, ClassWeights.SPEC, Resampling.METHOD, Resampling.RATIO, Resampling.NEIGHBOURS);
	}

	@Override
	public Class<RandomForestParameters> parametersType() {
		return RandomForestParameters.class;
	}

	@Override
	public RandomForestParameters resolve(ParameterReader in, Task task, List<String> classLabels) {
		int nEstimators = (int) in.integer("nEstimators", 100, 1, 10_000);
		int maxDepth = (int) in.integer("maxDepth", 0, 0, 1000);
		int minSamplesLeaf = (int) in.integer("minSamplesLeaf", 1, 1, 1_000_000);
		int minSamplesSplit = (int) in.integer("minSamplesSplit", 2, 2, 1_000_000);
		Object maxFeatures = maxFeatures(in, task);
		boolean bootstrap = in.bool("bootstrap", true);
		int maxBins = (int) in.integer("maxBins", 255, 2, 255);
		Object classWeights = ClassWeights.read(in, task, classLabels);
		Resampling resampling = Resampling.read(in, task);
		return new RandomForestParameters(nEstimators, maxDepth, minSamplesLeaf, minSamplesSplit, maxFeatures,
				bootstrap, maxBins, classWeights, resampling);
	}

	private static Object maxFeatures(ParameterReader in, Task task) {
		Object value = in.raw("maxFeatures");
		if (value == null) {
			return (task == Task.REGRESSION) ? (Object) 1.0 : "sqrt";
		}
		if ("sqrt".equals(value) || "log2".equals(value)) {
			return value;
		}
		if (value instanceof Number n && n.doubleValue() > 0 && n.doubleValue() <= 1) {
			return n.doubleValue();
		}
		in.error("maxFeatures", "must be \"sqrt\", \"log2\" or a fraction in (0, 1]");
		return "sqrt";
	}

	@Override
	public WorkUnits workUnits(RandomForestParameters p, long encodedWidth) {
		return WorkUnits.estimators(p.nEstimators());
	}

	@Override
	public FitOutput fit(RandomForestParameters p, FitInput in, TrainingListener listener) {
		FitInput.Prepared prepared = TreeFitting.prepare(in);
		int[] trainRows = prepared.trainRows();
		double[] classWeights = in.classification()
				? ClassWeights.resolve(p.classWeights(), in.classLabels(), in.classes(trainRows)) : null;
		Map<String, Object> resampled = new java.util.LinkedHashMap<>();
		TreeDataset train = TreeFitting.training(in, prepared.preprocessing(), trainRows, classWeights, p.resampling(),
				resampled);
		int features = prepared.preprocessing().outputWidth();
		RandomForestParams params = new RandomForestParams(p.nEstimators(), p.maxDepth(), p.minSamplesSplit(),
				p.minSamplesLeaf(), fraction(p.maxFeatures(), features), p.bootstrap(), p.maxBins(), in.seed(), 0);
		List<EpochLoss> history = new ArrayList<>();
		TreeEnsemble model;
		try {
			model = RandomForestTrainer.fit(params, TreeFitting.kinds(prepared.preprocessing(), p.maxBins()), train,
					in.numClasses(), TreeFitting.listener(listener, p.nEstimators(), history));
		}
		catch (CancellationException ex) {
			return FitOutput.cancelled(in.details(prepared.preprocessing(), null, classWeights));
		}
		Map<String, Object> details = TreeFitting.details(in, prepared.preprocessing(), classWeights, model);
		details.putAll(resampled);
		history.sort((a, b) -> Integer.compare(a.epoch(), b.epoch()));
		return new FitOutput(TreeFitting.artifact(in, prepared.preprocessing(), model), List.copyOf(history), 0, false,
				false, details);
	}

	/**
	 * The trainer's maxFeatures: 0 for sqrt, log2(features) / features (so that it takes
	 * max(1, floor(log2(features))) as scikit-learn), else the fraction.
	 */
	private static double fraction(Object maxFeatures, int features) {
		if ("sqrt".equals(maxFeatures)) {
			return RandomForestParams.SQRT;
		}
		if ("log2".equals(maxFeatures)) {
			int k = Math.max(1, (int) (Math.log(features) / Math.log(2)));
			return Math.min(1.0, (k + 0.5) / Math.max(1, features));
		}
		return ((Number) maxFeatures).doubleValue();
	}

}
