package io.fitserve.training.algorithms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.ml.EpochLoss;
import io.fitserve.ml.TrainingListener;
import io.fitserve.ml.artifact.ModelArtifact;
import io.fitserve.ml.artifact.Predictor;
import io.fitserve.ml.preprocess.Encoding;
import io.fitserve.ml.preprocess.FeatureTransform;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.ml.trees.FeatureKinds;
import io.fitserve.ml.trees.TreeDataset;
import io.fitserve.ml.trees.TreeEnsemble;
import io.fitserve.ml.trees.TreeTrainingListener;

/**
 * What the tree algorithms (gradient_boosting, random_forest) share: the ordinal encoding
 * fitted on the training rows, column-major data, class weights as sample weights, the
 * progress adapter and the details of the fit.
 */
public final class TreeFitting {

	/** Parameter specs both tree algorithms use. */
	public static final ParameterSpec MAX_BINS = ParameterSpec.integer("maxBins", 2, 255,
			"Bins per numeric feature for the histogram split search (missing values get a bin of their own)");

	private TreeFitting() {
	}

	/**
	 * The training rows (storage order) with the ordinal preprocessing fitted on them.
	 */
	public static FitInput.Prepared prepare(FitInput in) {
		int[] trainRows = Rows.storageOrder(in.splitRows());
		return new FitInput.Prepared(trainRows, Preprocessing.fit(in.features(), trainRows, Encoding.ORDINAL));
	}

	/**
	 * Which encoded columns are categorical, and their category counts. A categorical
	 * feature with more categories than maxBins cannot be binned (scikit-learn refuses it
	 * too): that is the user's data, so it is a clear problem naming the feature, not an
	 * internal error.
	 */
	public static FeatureKinds kinds(Preprocessing preprocessing, int maxBins) {
		List<FieldError> errors = new ArrayList<>();
		for (FeatureTransform t : preprocessing.features()) {
			if (!t.numericFeature() && t.categories().size() > maxBins) {
				errors.add(FieldError.field("features",
						"'" + t.name() + "' has " + t.categories().size()
								+ " categories in the training rows; tree models take at most maxBins (" + maxBins
								+ ") per categorical feature: leave it out of features"));
			}
		}
		if (!errors.isEmpty()) {
			throw DomainException.unprocessable("A categorical feature has more categories than the trees can bin.",
					errors);
		}
		return kinds(preprocessing);
	}

	/** Which encoded columns are categorical, and their category counts. */
	static FeatureKinds kinds(Preprocessing preprocessing) {
		List<FeatureTransform> features = preprocessing.features();
		boolean[] categorical = new boolean[features.size()];
		int[] counts = new int[features.size()];
		for (int f = 0; f < categorical.length; f++) {
			FeatureTransform t = features.get(f);
			categorical[f] = !t.numericFeature();
			counts[f] = categorical[f] ? Math.max(1, t.categories().size()) : 0;
		}
		return new FeatureKinds(categorical, counts);
	}

	/**
	 * The rows encoded column-major, with targets and (for class weights) per-row
	 * weights.
	 */
	public static TreeDataset dataset(FitInput in, Preprocessing preprocessing, int[] rows, double[] classWeights) {
		double[][] byRow = preprocessing.transform(in.features(), rows);
		return dataset(in, preprocessing, rows, byRow, in.targets(rows), classWeights);
	}

	/**
	 * The training rows resampled (class weights and resampling are never both given),
	 * column-major; details gets what the resampling did.
	 */
	public static TreeDataset training(FitInput in, Preprocessing preprocessing, int[] rows, double[] classWeights,
			Resampling resampling, Map<String, Object> details) {
		if (resampling == null || !in.classification()) {
			return dataset(in, preprocessing, rows, classWeights);
		}
		Resampling.TreeRows resampled = Resampling.ordinal(resampling, in, preprocessing, rows, details);
		return dataset(in, preprocessing, null, resampled.byRow(), resampled.y(), null);
	}

	private static TreeDataset dataset(FitInput in, Preprocessing preprocessing, int[] rows, double[][] byRow,
			double[] y, double[] classWeights) {
		double[][] columns = new double[preprocessing.outputWidth()][byRow.length];
		for (int r = 0; r < byRow.length; r++) {
			double[] row = byRow[r];
			for (int j = 0; j < row.length; j++) {
				columns[j][r] = row[j];
			}
		}
		double[] weights = null;
		if (classWeights != null) {
			weights = new double[rows.length];
			int[] classes = in.classes(rows);
			for (int r = 0; r < rows.length; r++) {
				weights[r] = classWeights[classes[r]];
			}
		}
		return new TreeDataset(columns, y, weights);
	}

	/**
	 * Reports each boosting iteration (or finished tree) as an epoch of {@code total}
	 * into history and the job's listener, and polls its cancellation.
	 */
	public static TreeTrainingListener listener(TrainingListener listener, int total, List<EpochLoss> history) {
		boolean[] stopped = { false };
		return new TreeTrainingListener() {
			@Override
			public void onIteration(int iteration, double trainLoss, double validationLoss) {
				EpochLoss loss = new EpochLoss(iteration, trainLoss, validationLoss);
				synchronized (history) {
					history.add(loss);
					if (!listener.onEpoch(loss, total)) {
						stopped[0] = true;
					}
				}
			}

			@Override
			public boolean cancelled() {
				return stopped[0] || listener.cancelled();
			}
		};
	}

	/** The artifact of a fitted ensemble. */
	public static ModelArtifact artifact(FitInput in, Preprocessing preprocessing, TreeEnsemble model) {
		return new ModelArtifact(in.task(), in.classLabels(), preprocessing, Predictor.trees(model));
	}

	/**
	 * Details of a fit: the encoded width and class weights, then trees, iterations and
	 * the normalized gain importance per feature.
	 */
	public static Map<String, Object> details(FitInput in, Preprocessing preprocessing, double[] classWeights,
			TreeEnsemble model) {
		Map<String, Object> details = in.details(preprocessing, null, classWeights);
		details.put("trees", model.trees().size());
		details.put("iterations", model.iterations());
		double[] importance = model.featureImportance();
		Map<String, Double> byFeature = new java.util.LinkedHashMap<>();
		for (int f = 0; f < importance.length; f++) {
			byFeature.put(preprocessing.features().get(f).name(), importance[f]);
		}
		details.put("featureImportanceGain", byFeature);
		return details;
	}

	/** Sorted copy of rows with one in tenth (by a seeded shuffle) held out. */
	public static int[][] holdOut(int[] rows, double fraction, long seed) {
		List<Integer> shuffled = new ArrayList<>(rows.length);
		for (int r : rows) {
			shuffled.add(r);
		}
		Collections.shuffle(shuffled, new java.util.Random(seed));
		int held = (int) Math.ceil(rows.length * fraction);
		int[] validation = shuffled.subList(0, held).stream().mapToInt(Integer::intValue).sorted().toArray();
		int[] train = shuffled.subList(held, rows.length).stream().mapToInt(Integer::intValue).sorted().toArray();
		return new int[][] { train, validation };
	}

}
