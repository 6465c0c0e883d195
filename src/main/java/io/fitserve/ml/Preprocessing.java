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
		for (ColumnData column : featureColumns) {
			checkRows(column, trainRows);
			features.add(switch (column.type()) {
				case NUMERIC -> fitNumeric(column, trainRows);
				case CATEGORICAL -> fitCategorical(column, trainRows, FeatureTransform.CATEGORICAL);
				case BOOLEAN -> fitCategorical(column, trainRows, FeatureTransform.BOOLEAN);
			});
		}
		return new Preprocessing(features);
	}

	private static void checkRows(ColumnData column, int[] rows) {
		if (column.type() == ColumnType.NUMERIC ? column.values() == null
				: column.codes() == null || column.levels() == null) {
			throw new IllegalArgumentException("column '" + column.name() + "' has no data for its type " + column.type());
		}
		int n = column.rows();
		for (int row : rows) {
			if (row < 0 || row >= n) {
				throw new IllegalArgumentException("row " + row + " out of range for column '" + column.name() + "' of " + n
						+ " rows");
			}
		}
	}

	private static FeatureTransform fitNumeric(ColumnData column, int[] rows) {
		double[] values = column.values();
		int count = 0;
		double sum = 0;
		for (int row : rows) {
			double v = values[row];
			if (Double.isFinite(v)) {
				sum += v;
				count++;
			}
		}
		if (count == 0) {
			return FeatureTransform.numeric(column.name(), 0.0, 1.0);
		}
		double mean = sum / count;
		if (!Double.isFinite(mean)) {
			// the plain sum overflowed: running mean instead
			mean = 0;
			int k = 0;
			for (int row : rows) {
				double v = values[row];
				if (Double.isFinite(v)) {
					k++;
					mean += v / k - mean / k;
				}
			}
		}
		double squares = 0;
		double maxDeviation = 0;
		for (int row : rows) {
			double v = values[row];
			if (Double.isFinite(v)) {
				double d = v - mean;
				squares += d * d;
				maxDeviation = Math.max(maxDeviation, Math.abs(d));
			}
		}
		double scale = Math.sqrt(squares / count);
		if (!Double.isFinite(scale) && Double.isFinite(maxDeviation)) {
			// squares overflowed: scale the deviations first
			double scaled = 0;
			for (int row : rows) {
				double v = values[row];
				if (Double.isFinite(v)) {
					double d = (v - mean) / maxDeviation;
					scaled += d * d;
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

	private static FeatureTransform fitCategorical(ColumnData column, int[] rows, String type) {
		int[] codes = column.codes();
		List<String> levels = column.levels();
		long[] counts = new long[levels.size()];
		for (int row : rows) {
			int code = codes[row];
			if (code >= 0) {
				if (code >= counts.length) {
					throw new IllegalArgumentException("column '" + column.name() + "' has code " + code + " without a level");
				}
				counts[code]++;
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
		Objects.requireNonNull(rows, "rows");
		if (featureColumns.size() != features.size()) {
			throw new IllegalArgumentException("expected " + features.size() + " feature columns, got " + featureColumns.size());
		}
		int width = outputWidth();
		double[][] out = new double[rows.length][width];
		int offset = 0;
		for (int j = 0; j < features.size(); j++) {
			FeatureTransform f = features.get(j);
			ColumnData column = featureColumns.get(j);
			checkRows(column, rows);
			if (f.numericFeature()) {
				if (column.type() != ColumnType.NUMERIC) {
					throw new IllegalArgumentException("column '" + column.name() + "' must be numeric");
				}
				double[] values = column.values();
				for (int i = 0; i < rows.length; i++) {
					double v = values[rows[i]];
					out[i][offset] = Double.isFinite(v) ? (v - f.mean()) / f.scale() : 0.0;
				}
			}
			else if (f.width() > 0) {
				if (column.type() == ColumnType.NUMERIC) {
					throw new IllegalArgumentException("column '" + column.name() + "' must be categorical or boolean");
				}
				List<String> levels = column.levels();
				int fallback = Collections.binarySearch(f.categories(), f.mostFrequent());
				int[] levelToCategory = new int[levels.size()];
				for (int code = 0; code < levelToCategory.length; code++) {
					int index = Collections.binarySearch(f.categories(), levels.get(code));
					levelToCategory[code] = index >= 0 ? index : fallback;
				}
				int[] codes = column.codes();
				for (int i = 0; i < rows.length; i++) {
					int code = codes[rows[i]];
					int index = (code >= 0 && code < levelToCategory.length) ? levelToCategory[code] : fallback;
					out[i][offset + index] = 1.0;
				}
			}
			offset += f.width();
		}
		return out;
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
