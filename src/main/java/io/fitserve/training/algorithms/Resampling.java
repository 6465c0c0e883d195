package io.fitserve.training.algorithms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.ml.Task;
import io.fitserve.ml.WireNames;
import io.fitserve.ml.data.DenseRows;
import io.fitserve.ml.preprocess.Preprocessing;
import io.fitserve.ml.resample.ResampleMethod;
import io.fitserve.ml.resample.ResamplePlan;
import io.fitserve.ml.resample.Resampler;

/**
 * The resample hyperparameters every classifier takes (imbalanced-learn's samplers in a
 * pipeline after the scaler): which sampler, the minority/majority ratio it aims at
 * (imbalanced-learn's float {@code sampling_strategy}) and SMOTE's neighbours. Only the
 * rows a fit trains on are resampled, after the preprocessing was fitted on them: never
 * the validation, test or a fold's held-out rows.
 *
 * @param ratio rows of each raised class over the largest class's after oversample or
 * smote; smallest class over each cut class's after undersample
 * @param neighbours SMOTE's k (0 for the other methods)
 */
public record Resampling(ResampleMethod method, double ratio, int neighbours) {

	public static final double DEFAULT_RATIO = 1.0;

	public static final int DEFAULT_NEIGHBOURS = 5;

	public static final int MAX_NEIGHBOURS = 100;

	public static final ParameterSpec METHOD = ParameterSpec.string("resample",
			List.of("none", "oversample", "undersample", "smote"),
			"Rebalances the classes of the rows each fit trains on (never validation, test or a fold's held-out rows), "
					+ "as imbalanced-learn's RandomOverSampler, RandomUnderSampler and SMOTE (SMOTE-NC for "
					+ "categorical features) after the preprocessing; seeded. Default none");

	public static final ParameterSpec RATIO = ParameterSpec.number("resampleRatio", 0, true, 1,
			"Rows of each raised class over the largest class's after oversample or smote (classes below "
					+ "floor(ratio x largest) are raised to it), or smallest class over each cut class's after "
					+ "undersample (classes above floor(smallest / ratio) are cut to it); imbalanced-learn's float "
					+ "sampling_strategy. Default 1 (balanced)");

	public static final ParameterSpec NEIGHBOURS = ParameterSpec.integer("smoteNeighbors", 1, MAX_NEIGHBOURS,
			"SMOTE's k: each synthetic row lies between a row and one of its k nearest neighbours of the same class "
					+ "(Euclidean on standardized numbers and one-hot categories). Default 5");

	/** The three, in the catalogue's order. */
	public static final List<ParameterSpec> SPECS = List.of(METHOD, RATIO, NEIGHBOURS);

	/** The wire name of the method. */
	public String methodName() {
		return WireNames.of(this.method);
	}

	/**
	 * The validated settings; null for none (absent or "none"), which is also what specs
	 * stored before this option read as.
	 */
	public static Resampling read(ParameterReader in, Task task) {
		boolean any = in.has("resample") || in.has("resampleRatio") || in.has("smoteNeighbors");
		if (!any) {
			return null;
		}
		if (task != null && task != Task.CLASSIFICATION) {
			for (String key : List.of("resample", "resampleRatio", "smoteNeighbors")) {
				if (in.has(key)) {
					in.error(key, "applies only to classification");
				}
			}
			return null;
		}
		ResampleMethod method = in.has("resample") ? in.choice("resample", ResampleMethod.values())
				: ResampleMethod.NONE;
		double ratio = in.number("resampleRatio", DEFAULT_RATIO, 0, false, 1);
		int neighbours = (int) in.integer("smoteNeighbors", DEFAULT_NEIGHBOURS, 1, MAX_NEIGHBOURS);
		if (method == null) {
			return null;
		}
		// without a resample that uses them they are left unused (as momentum is by
		// adam),
		// so that a search can vary resample while they stay fixed
		if (method != ResampleMethod.NONE && in.has("classWeights")) {
			in.error("resample", "give classWeights or resample, not both: both rebalance the classes");
		}
		if (method == ResampleMethod.NONE) {
			return null;
		}
		return new Resampling(method, ratio, method == ResampleMethod.SMOTE ? neighbours : 0);
	}

	/** Puts the settings under their wire keys; nothing for null (none). */
	public static void write(Resampling r, Map<String, Object> out) {
		if (r == null) {
			return;
		}
		out.put("resample", r.methodName());
		out.put("resampleRatio", r.ratio);
		if (r.method == ResampleMethod.SMOTE) {
			out.put("smoteNeighbors", r.neighbours);
		}
	}

	/** Rows a fit trains on after resampling, estimated from class counts before. */
	public int[] targetCounts(int[] counts) {
		return Resampler.targetCounts(this.method, this.ratio, counts);
	}

	/** What one fit trains on: encoded rows, their targets and classes. */
	public record Encoded(DenseRows x, double[] y, int[] classes, ResamplePlan plan) {

		public int count() {
			return this.y.length;
		}

	}

	/**
	 * The training rows of a prepared fit in the standard encoding, resampled when r is
	 * not null (details then get what was done).
	 */
	public static Encoded encode(Resampling r, FitInput in, FitInput.Prepared prepared, Map<String, Object> details) {
		int[] trainRows = prepared.trainRows();
		DenseRows x = prepared.encode(in.features(), trainRows);
		double[] y = in.targets(trainRows);
		int[] classes = in.classification() ? in.classes(trainRows) : null;
		if (r == null || !in.classification()) {
			return new Encoded(x, y, classes, null);
		}
		ResamplePlan plan = r.plan(in, classes, x, prepared.preprocessing());
		if (details != null) {
			details.put("resampling", r.details(plan, in.classLabels()));
		}
		return new Encoded(Resampler.apply(plan, x, prepared.preprocessing()), plan.targets(y), plan.classes(classes),
				plan);
	}

	/**
	 * The plan on rows of these classes; x (the rows in the standard encoding, by
	 * standard) is only needed for smote.
	 */
	ResamplePlan plan(FitInput in, int[] classes, DenseRows x, Preprocessing standard) {
		if (this.method != ResampleMethod.SMOTE) {
			return Resampler.plan(this.method, this.ratio, classes, in.numClasses(), in.seed());
		}
		int[] before = Resampler.counts(classes, in.numClasses());
		int[] after = targetCounts(before);
		for (int c = 0; c < before.length; c++) {
			if (after[c] > before[c] && before[c] <= this.neighbours) {
				String message = "class '" + in.classLabels().get(c) + "' has " + before[c]
						+ " row(s) in the rows this fit trains on; SMOTE with smoteNeighbors " + this.neighbours
						+ " needs at least " + (this.neighbours + 1) + ": lower smoteNeighbors, or use resample "
						+ "oversample";
				throw DomainException.unprocessable("SMOTE cannot raise a class: " + message + ".",
						List.of(FieldError.field("hyperparameters.smoteNeighbors", message)));
			}
		}
		return Resampler.smote(this.ratio, this.neighbours, classes, in.numClasses(), x, standard, in.seed());
	}

	/**
	 * The resampling a fit did, as its details report it: the settings, then rows and
	 * rows per class before and after.
	 */
	Map<String, Object> details(ResamplePlan plan, List<String> labels) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("method", methodName());
		out.put("ratio", this.ratio);
		if (this.method == ResampleMethod.SMOTE) {
			out.put("neighbors", this.neighbours);
		}
		int before = 0;
		int after = 0;
		Map<String, Integer> countsBefore = new LinkedHashMap<>();
		Map<String, Integer> countsAfter = new LinkedHashMap<>();
		for (int c = 0; c < labels.size(); c++) {
			countsBefore.put(labels.get(c), plan.countsBefore()[c]);
			countsAfter.put(labels.get(c), plan.countsAfter()[c]);
			before += plan.countsBefore()[c];
			after += plan.countsAfter()[c];
		}
		out.put("rowsBefore", before);
		out.put("rowsAfter", after);
		int synthetic = 0;
		for (int i = 0; i < plan.rows(); i++) {
			synthetic += plan.synthetic(i) ? 1 : 0;
		}
		out.put("syntheticRows", synthetic);
		out.put("classCountsBefore", countsBefore);
		out.put("classCountsAfter", countsAfter);
		return out;
	}

	/**
	 * The training rows of a tree fit (ordinal encoding, row-major) resampled: SMOTE
	 * measures neighbours in the standard encoding fitted on the same rows, and its rows
	 * take their numbers interpolated and categories chosen there.
	 */
	public static TreeRows ordinal(Resampling r, FitInput in, Preprocessing ordinal, int[] rows,
			Map<String, Object> details) {
		double[][] byRow = ordinal.transform(in.features(), rows);
		double[] y = in.targets(rows);
		if (r == null || !in.classification()) {
			return new TreeRows(byRow, y);
		}
		int[] classes = in.classes(rows);
		ResamplePlan plan;
		double[][] out;
		if (r.method == ResampleMethod.SMOTE) {
			Preprocessing standard = Preprocessing.fit(in.features(), rows);
			plan = r.plan(in, classes, standard.transformRows(in.features(), rows), standard);
			out = Resampler.applyOrdinal(plan, byRow, standard);
		}
		else {
			plan = r.plan(in, classes, null, null);
			out = new double[plan.rows()][];
			for (int i = 0; i < plan.rows(); i++) {
				out[i] = byRow[plan.base()[i]];
			}
		}
		if (details != null) {
			details.put("resampling", r.details(plan, in.classLabels()));
		}
		return new TreeRows(out, plan.targets(y));
	}

	/** Tree training rows (ordinal, row-major) and their targets. */
	public record TreeRows(double[][] byRow, double[] y) {
	}

}
