package io.fitserve.ml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.fitserve.datasets.ColumnData;
import io.fitserve.datasets.ColumnType;

/** Fitted preprocessing that travels inside the model: standardize numeric columns, one-hot encode the others. */
public record Preprocessing(List<FeatureTransform> features) {

	public Preprocessing {
		features = List.copyOf(Objects.requireNonNull(features, "features"));
	}

	/**
	 * Fits on the training rows only. Numeric: mean and population standard deviation of the non-missing
	 * values (mean 0 when none, scale 1 when 0 or none). Categorical/boolean: the levels occurring in the training
	 * rows, sorted, and the most frequent one (ties to the lexicographically smallest).
	 */
	public static Preprocessing fit(List<ColumnData> featureColumns, int[] trainRows) {
		Objects.requireNonNull(featureColumns, "featureColumns");
		Objects.requireNonNull(trainRows, "trainRows");
		List<FeatureTransform> features = new ArrayList<>(featureColumns.size());
		// statistics do not depend on row order: reading each column front to back through a per-row count is many
		// times faster than gathering a shuffled index list (one cache miss per value on large columns)
		int[] multiplicity = null;
		for (ColumnData column : featureColumns) {
			checkColumn(column);
			if (multiplicity == null || multiplicity.length != column.rows()) {
				multiplicity = multiplicity(trainRows, column);
			}
			features.add(switch (column.type()) {
				case NUMERIC -> fitNumeric(column, multiplicity);
				case CATEGORICAL -> fitCategorical(column, multiplicity, FeatureTransform.CATEGORICAL);
				case BOOLEAN -> fitCategorical(column, multiplicity, FeatureTransform.BOOLEAN);
			});
		}
		return new Preprocessing(features);
	}

	private static void checkColumn(ColumnData column) {
		if (column.type() == ColumnType.NUMERIC ? column.values() == null
				: column.codes() == null || column.levels() == null) {
			throw new IllegalArgumentException("column '" + column.name() + "' has no data for its type " + column.type());
		}
	}

	private static IllegalArgumentException outOfRange(ColumnData column, int row) {
		return new IllegalArgumentException(
				"row " + row + " out of range for column '" + column.name() + "' of " + column.rows() + " rows");
	}

	/** How often each row of the column is listed in rows. */
	private static int[] multiplicity(int[] rows, ColumnData column) {
		int n = column.rows();
		int[] count = new int[n];
		for (int row : rows) {
			if (row < 0 || row >= n) {
				throw outOfRange(column, row);
			}
			count[row]++;
		}
		return count;
	}

	private static FeatureTransform fitNumeric(ColumnData column, int[] multiplicity) {
		double[] values = column.values();
		int n = values.length;
		long count = 0;
		double sum = 0;
		for (int r = 0; r < n; r++) {
			int m = multiplicity[r];
			double v = values[r];
			if (m != 0 && Double.isFinite(v)) {
				sum += m == 1 ? v : m * v;
				count += m;
			}
		}
		if (count == 0) {
			return FeatureTransform.numeric(column.name(), 0.0, 1.0);
		}
		double mean = sum / count;
		if (!Double.isFinite(mean)) {
			// the plain sum overflowed: running mean instead
			mean = 0;
			long k = 0;
			for (int r = 0; r < n; r++) {
				double v = values[r];
				if (Double.isFinite(v)) {
					for (int m = multiplicity[r]; m > 0; m--) {
						k++;
						mean += v / k - mean / k;
					}
				}
			}
		}
		double squares = 0;
		double maxDeviation = 0;
		for (int r = 0; r < n; r++) {
			int m = multiplicity[r];
			double v = values[r];
			if (m != 0 && Double.isFinite(v)) {
				double d = v - mean;
				squares += m == 1 ? d * d : m * (d * d);
				maxDeviation = Math.max(maxDeviation, Math.abs(d));
			}
		}
		double scale = Math.sqrt(squares / count);
		if (!Double.isFinite(scale) && Double.isFinite(maxDeviation)) {
			// squares overflowed: scale the deviations first
			double scaled = 0;
			for (int r = 0; r < n; r++) {
				int m = multiplicity[r];
				double v = values[r];
				if (m != 0 && Double.isFinite(v)) {
					double d = (v - mean) / maxDeviation;
					scaled += m * (d * d);
				}
			}
			scale = maxDeviation * Math.sqrt(scaled / count);
		}
		if (!Double.isFinite(mean)) {
			mean = 0;
		}
		if (!Double.isFinite(scale) || scale == 0) {
			scale = 1.0;
		}
		return FeatureTransform.numeric(column.name(), mean, scale);
	}

	private static FeatureTransform fitCategorical(ColumnData column, int[] multiplicity, String type) {
		int[] codes = column.codes();
		List<String> levels = column.levels();
		long[] counts = new long[levels.size()];
		for (int r = 0; r < codes.length; r++) {
			int code = codes[r];
			int m = multiplicity[r];
			if (code >= 0 && m != 0) {
				if (code >= counts.length) {
					throw new IllegalArgumentException("column '" + column.name() + "' has code " + code + " without a level");
				}
				counts[code] += m;
			}
		}
		TreeMap<String, Long> byCategory = new TreeMap<>(); // natural String order
		for (int code = 0; code < counts.length; code++) {
			if (counts[code] > 0) {
				byCategory.merge(levels.get(code), counts[code], Long::sum);
			}
		}
		String mostFrequent = null;
		long best = -1;
		for (Map.Entry<String, Long> e : byCategory.entrySet()) { // sorted, so strict '>' keeps the smallest on ties
			if (e.getValue() > best) {
				best = e.getValue();
				mostFrequent = e.getKey();
			}
		}
		List<String> categories = new ArrayList<>(byCategory.keySet());
		return FeatureTransform.categorical(column.name(), type, categories, mostFrequent);
	}

	/** Number of encoded columns. */
	public int outputWidth() {
		int width = 0;
		for (FeatureTransform f : features) {
			width += f.width();
		}
		return width;
	}

	/** Encodes rows of the columns (same order as features) into a dense standardized, one-hot matrix. */
	public double[][] transform(List<ColumnData> featureColumns, int[] rows) {
		return transformRows(featureColumns, rows).toArrays();
	}

	/**
	 * As {@link #transform}, row-major in one flat array. Rows are read in storage order and each output row is
	 * written whole, so a shuffled row list costs one scattered write per row rather than one cache miss per value.
	 */
	public DenseRows transformRows(List<ColumnData> featureColumns, int[] rows) {
		Objects.requireNonNull(rows, "rows");
		if (featureColumns.size() != features.size()) {
			throw new IllegalArgumentException("expected " + features.size() + " feature columns, got " + featureColumns.size());
		}
		int width = outputWidth();
		int k = features.size();
		int[] offsets = new int[k];
		double[][] values = new double[k][];
		double[] means = new double[k];
		double[] scales = new double[k];
		int[][] codes = new int[k][];
		int[][] levelToCategory = new int[k][];
		int[] fallbacks = new int[k];
		int n = -1;
		int offset = 0;
		for (int j = 0; j < k; j++) {
			FeatureTransform f = features.get(j);
			ColumnData column = featureColumns.get(j);
			checkColumn(column);
			if (n < 0) {
				n = column.rows();
			}
			else if (column.rows() != n) {
				throw new IllegalArgumentException("column '" + column.name() + "' has " + column.rows()
						+ " rows, the first column " + n);
			}
			offsets[j] = offset;
			if (f.numericFeature()) {
				if (column.type() != ColumnType.NUMERIC) {
					throw new IllegalArgumentException("column '" + column.name() + "' must be numeric");
				}
				values[j] = column.values();
				means[j] = f.mean();
				scales[j] = f.scale();
			}
			else if (f.width() > 0) {
				if (column.type() == ColumnType.NUMERIC) {
					throw new IllegalArgumentException("column '" + column.name() + "' must be categorical or boolean");
				}
				List<String> levels = column.levels();
				int fallback = Collections.binarySearch(f.categories(), f.mostFrequent());
				int[] map = new int[levels.size()];
				for (int code = 0; code < map.length; code++) {
					int index = Collections.binarySearch(f.categories(), levels.get(code));
					map[code] = index >= 0 ? index : fallback;
				}
				codes[j] = column.codes();
				levelToCategory[j] = map;
				fallbacks[j] = fallback;
			}
			offset += f.width();
		}
		double[] out = new double[Math.multiplyExact(rows.length, width)];
		if (k == 0 || rows.length == 0) {
			return new DenseRows(out, rows.length, width);
		}
		// position of each stored row in the output, or -1; a row listed twice falls back to reading in list order
		int[] position = new int[n];
		java.util.Arrays.fill(position, -1);
		boolean distinct = true;
		for (int i = 0; i < rows.length; i++) {
			int row = rows[i];
			if (row < 0 || row >= n) {
				throw outOfRange(featureColumns.get(0), row);
			}
			if (position[row] >= 0) {
				distinct = false;
				break;
			}
			position[row] = i;
		}
		if (distinct) {
			for (int row = 0; row < n; row++) {
				int i = position[row];
				if (i >= 0) {
					encode(row, out, i * width, offsets, values, means, scales, codes, levelToCategory, fallbacks);
				}
			}
		}
		else {
			for (int i = 0; i < rows.length; i++) {
				encode(rows[i], out, i * width, offsets, values, means, scales, codes, levelToCategory, fallbacks);
			}
		}
		return new DenseRows(out, rows.length, width);
	}

	private static void encode(int row, double[] out, int base, int[] offsets, double[][] values, double[] means,
			double[] scales, int[][] codes, int[][] levelToCategory, int[] fallbacks) {
		for (int j = 0; j < offsets.length; j++) {
			double[] column = values[j];
			if (column != null) {
				double v = column[row];
				out[base + offsets[j]] = Double.isFinite(v) ? (v - means[j]) / scales[j] : 0.0;
			}
			else if (codes[j] != null) {
				int[] map = levelToCategory[j];
				int code = codes[j][row];
				int index = (code >= 0 && code < map.length) ? map[code] : fallbacks[j];
				out[base + offsets[j] + index] = 1.0;
			}
		}
	}

	/**
	 * Encodes one raw row: values[i] is a Number (null or NaN = missing) for numeric features, a String (null =
	 * missing) for categorical/boolean ones (boolean also as Boolean, or "yes"/"no"). Unseen categories are treated
	 * as missing.
	 */
	public double[] transformRow(Object[] values) {
		Objects.requireNonNull(values, "values");
		if (values.length != features.size()) {
			throw new IllegalArgumentException("expected " + features.size() + " values, got " + values.length);
		}
		double[] out = new double[outputWidth()];
		int offset = 0;
		for (int j = 0; j < features.size(); j++) {
			FeatureTransform f = features.get(j);
			Object value = values[j];
			if (f.numericFeature()) {
				double v;
				if (value == null) {
					v = Double.NaN;
				}
				else if (value instanceof Number number) {
					v = number.doubleValue();
				}
				else {
					throw new IllegalArgumentException("feature '" + f.name() + "' expects a number, got "
							+ value.getClass().getSimpleName());
				}
				out[offset] = Double.isFinite(v) ? (v - f.mean()) / f.scale() : 0.0;
			}
			else if (f.width() > 0) {
				int index = categoryIndex(f, normalize(f, value));
				if (index < 0) {
					index = Collections.binarySearch(f.categories(), f.mostFrequent());
				}
				out[offset + index] = 1.0;
			}
			offset += f.width();
		}
		return out;
	}

	/**
	 * Whether value is a category seen in training for the categorical/boolean feature at featureIndex (after the
	 * same normalization as transformRow); false for null and for numeric features.
	 */
	public boolean isKnownCategory(int featureIndex, String value) {
		FeatureTransform f = features.get(featureIndex);
		return !f.numericFeature() && categoryIndex(f, normalize(f, value)) >= 0;
	}

	/** Names of the encoded columns, e.g. "sepal_length" or "color=red". */
	public List<String> outputNames() {
		List<String> names = new ArrayList<>(outputWidth());
		for (FeatureTransform f : features) {
			if (f.numericFeature()) {
				names.add(f.name());
			}
			else {
				for (String category : f.categories()) {
					names.add(f.name() + "=" + category);
				}
			}
		}
		return List.copyOf(names);
	}

	private static String normalize(FeatureTransform f, Object value) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof String) && !(value instanceof Boolean)) {
			throw new IllegalArgumentException("feature '" + f.name() + "' expects a string, got "
					+ value.getClass().getSimpleName());
		}
		String s = value.toString().trim();
		if (FeatureTransform.BOOLEAN.equals(f.type())) {
			return switch (s.toLowerCase(Locale.ROOT)) {
				case "true", "yes" -> "true";
				case "false", "no" -> "false";
				default -> s;
			};
		}
		return s;
	}

	private static int categoryIndex(FeatureTransform f, String value) {
		return value == null ? -1 : Collections.binarySearch(f.categories(), value);
	}

}
