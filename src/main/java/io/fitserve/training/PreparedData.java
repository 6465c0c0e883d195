package io.fitserve.training;

import io.fitserve.ml.Task;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.training.algorithms.Rows;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.data.Split;
import io.fitserve.ml.data.Splits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.fitserve.datasets.DatasetFrame;
import io.fitserve.datasets.ValueParser;

/**
 * The rows a job trains on (those with a target value), their targets as numbers, the
 * class labels, and the seeded split, all as indices into the stored dataset so nothing
 * is copied.
 */
record PreparedData(List<ColumnData> features, double[] y, List<String> classLabels, int[] train, int[] validation,
		int[] test, int droppedMissingTarget) {

	/** Thrown when the data cannot train the requested model. */
	static final class DataProblem extends RuntimeException {

		DataProblem(String message) {
			super(message);
		}

	}

	static PreparedData of(DatasetFrame frame, TrainingSpec spec) {
		List<ColumnData> features = new ArrayList<>();
		for (String name : spec.features()) {
			features.add(frame.column(name));
		}
		int n = frame.rows();
		if (spec.task() == Task.CLUSTERING) {
			// no target: every row trains, nothing is held out
			int[] all = new int[n];
			for (int r = 0; r < n; r++) {
				all[r] = r;
			}
			return new PreparedData(features, new double[n], List.of(), all, new int[0], new int[0], 0);
		}
		ColumnData target = frame.column(spec.target());
		double[] y;
		List<String> labels = List.of();
		// null when every row has a target (positions are rows): no n-row copies
		int[] kept;
		int[] classes = null;
		if (spec.task() == Task.CLASSIFICATION) {
			labels = classLabels(target);
			int[] classOfCode = new int[target.levels().size()];
			java.util.Arrays.fill(classOfCode, -1);
			for (int i = 0; i < labels.size(); i++) {
				classOfCode[target.levels().indexOf(labels.get(i))] = i;
			}
			kept = rowsWhere(n, r -> target.codes()[r] >= 0);
			y = new double[n];
			classes = new int[count(kept, n)];
			for (int i = 0; i < classes.length; i++) {
				int row = kept == null ? i : kept[i];
				int cls = classOfCode[target.codes()[row]];
				classes[i] = cls;
				y[row] = cls;
			}
			if (labels.size() < 2) {
				throw new DataProblem("The target '" + spec.target() + "' has fewer than 2 classes.");
			}
		}
		else {
			kept = rowsWhere(n, r -> !Double.isNaN(target.values()[r]));
			if (kept == null) {
				// every value is a target; y is only read (by row), so the stored column
				// serves as it is
				y = target.values();
			}
			else {
				y = new double[n];
				for (int r : kept) {
					y[r] = target.values()[r];
				}
			}
		}
		int keptRows = count(kept, n);
		if (keptRows < 2) {
			throw new DataProblem("Only " + keptRows + " row(s) have a value for the target '" + spec.target()
					+ "'; at least 2 are needed.");
		}
		Split split = Splits.split(keptRows, classes, spec.validationFraction(), spec.testFraction(), spec.seed());
		return new PreparedData(features, y, labels, toRows(split.train(), kept), toRows(split.validation(), kept),
				toRows(split.test(), kept), n - keptRows);
	}

	private static int count(int[] kept, int n) {
		return kept == null ? n : kept.length;
	}

	double[] targets(int[] rows) {
		double[] out = new double[rows.length];
		for (int i = 0; i < rows.length; i++) {
			out[i] = y[rows[i]];
		}
		return out;
	}

	int[] classes(int[] rows) {
		int[] out = new int[rows.length];
		for (int i = 0; i < rows.length; i++) {
			out[i] = (int) y[rows[i]];
		}
		return out;
	}

	static int[] concat(int[] a, int[] b) {
		int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	/** The same rows in ascending order: {@link Rows#storageOrder}. */
	static int[] storageOrder(int[] rows) {
		return Rows.storageOrder(rows);
	}

	/** rows[positions[i]] for each i. */
	static int[] pick(int[] rows, int[] positions) {
		int[] out = new int[positions.length];
		for (int i = 0; i < positions.length; i++) {
			out[i] = rows[positions[i]];
		}
		return out;
	}

	/** The rows whose positions are not listed, in order. */
	static int[] without(int[] rows, int[] positions) {
		boolean[] skip = new boolean[rows.length];
		for (int p : positions) {
			skip[p] = true;
		}
		int[] out = new int[rows.length - positions.length];
		int k = 0;
		for (int i = 0; i < rows.length; i++) {
			if (!skip[i]) {
				out[k++] = rows[i];
			}
		}
		return out;
	}

	/**
	 * Class labels as written, in a stable order: numeric labels by value, others
	 * alphabetically.
	 */
	static List<String> classLabels(ColumnData target) {
		boolean[] present = new boolean[target.levels().size()];
		for (int code : target.codes()) {
			if (code >= 0) {
				present[code] = true;
			}
		}
		List<String> labels = new ArrayList<>();
		for (int i = 0; i < present.length; i++) {
			if (present[i]) {
				labels.add(target.levels().get(i));
			}
		}
		if (target.type() == ColumnType.NUMERIC) {
			labels.sort(Comparator.comparingDouble(ValueParser::parseNumber));
		}
		else {
			labels.sort(Comparator.naturalOrder());
		}
		return List.copyOf(labels);
	}

	private interface RowTest {

		boolean test(int row);

	}

	/** The rows that pass, ascending; null when every row passes. */
	private static int[] rowsWhere(int n, RowTest test) {
		int first = 0;
		while (first < n && test.test(first)) {
			first++;
		}
		if (first == n) {
			return null;
		}
		// rows before the first that fails have passed already; that one has failed
		int[] rows = new int[n];
		for (int r = 0; r < first; r++) {
			rows[r] = r;
		}
		int count = first;
		for (int r = first + 1; r < n; r++) {
			if (test.test(r)) {
				rows[count++] = r;
			}
		}
		return java.util.Arrays.copyOf(rows, count);
	}

	/** kept[positions[i]] for each i; the positions themselves when kept is null. */
	private static int[] toRows(int[] positions, int[] kept) {
		if (kept == null) {
			return positions;
		}
		int[] rows = new int[positions.length];
		for (int i = 0; i < positions.length; i++) {
			rows[i] = kept[positions[i]];
		}
		return rows;
	}

}
