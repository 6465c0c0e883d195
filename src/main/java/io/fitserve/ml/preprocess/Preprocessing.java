package io.fitserve.ml.preprocess;

import io.fitserve.ml.data.Blocks;
import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import io.fitserve.ml.data.DenseRows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Fitted preprocessing that travels inside the model: standardize numeric columns,
 * one-hot encode the others ({@link Encoding#STANDARD}); or, for tree models, pass
 * numbers through and code categories as their index ({@link Encoding#ORDINAL}).
 *
 * @param encoding null reads as {@link Encoding#STANDARD} (artifacts written before there
 * was a choice)
 */
public record Preprocessing(List<FeatureTransform> features, Encoding encoding) {

	public Preprocessing {
		features = List.copyOf(Objects.requireNonNull(features, "features"));
		encoding = (encoding != null) ? encoding : Encoding.STANDARD;
	}

	/** A standard (standardize, one-hot) preprocessing. */
	public Preprocessing(List<FeatureTransform> features) {
		this(features, Encoding.STANDARD);
	}

	/** True for {@link Encoding#ORDINAL}: one raw column per feature. */
	public boolean ordinal() {
		return this.encoding == Encoding.ORDINAL;
	}

	/**
	 * Encoded columns of one of its features under this encoding (1 for every feature
	 * when ordinal).
	 */
	public int width(FeatureTransform f) {
		return ordinal() ? 1 : f.width();
	}

	/**
	 * Fits on the training rows only. Numeric: mean and population standard deviation of
	 * the non-missing values (mean 0 when none, scale 1 when 0 or none).
	 * Categorical/boolean: the levels occurring in the training rows, sorted, and the
	 * most frequent one (ties to the lexicographically smallest).
	 */
	public static Preprocessing fit(List<ColumnData> featureColumns, int[] trainRows) {
		return fit(featureColumns, trainRows, Encoding.STANDARD);
	}

	/**
	 * Fits on the training rows only, for the given encoding. {@link Encoding#ORDINAL}
	 * keeps numeric columns as they are (mean 0, scale 1 recorded) and fits the
	 * categories of the others as {@link #fit(List, int[])} does.
	 */
	public static Preprocessing fit(List<ColumnData> featureColumns, int[] trainRows, Encoding encoding) {
		Objects.requireNonNull(featureColumns, "featureColumns");
		Objects.requireNonNull(trainRows, "trainRows");
		int k = featureColumns.size();
		FeatureTransform[] features = new FeatureTransform[k];
		// statistics do not depend on row order: reading each column front to back
		// through a per-row count is many times faster than gathering a shuffled index
		// list (one cache miss per value on large columns)
		int[][] multiplicities = new int[k][];
		int[] multiplicity = null;
		boolean numericWork = false;
		for (int j = 0; j < k; j++) {
			ColumnData column = featureColumns.get(j);
			checkColumn(column);
			if (multiplicity == null || multiplicity.length != column.rows()) {
				multiplicity = multiplicity(trainRows, column);
			}
			multiplicities[j] = multiplicity;
			switch (column.type()) {
				case NUMERIC -> {
					if (encoding == Encoding.ORDINAL) {
						features[j] = FeatureTransform.numeric(column.name(), 0.0, 1.0);
					}
					else {
						numericWork = true;
					}
				}
				case CATEGORICAL -> features[j] = fitCategorical(column, multiplicity, FeatureTransform.CATEGORICAL);
				case BOOLEAN -> features[j] = fitCategorical(column, multiplicity, FeatureTransform.BOOLEAN);
			}
		}
		if (numericWork) {
			// up to four columns per task, each summed in row order as on one thread: the
			// same means and scales whatever the thread count
			List<int[]> groups = numericGroups(features, multiplicities);
			long values = (long) k * (multiplicity == null ? 0 : multiplicity.length);
			Blocks.forEach(groups.size(), values >= PARALLEL_VALUES ? Blocks.threads() : 1, g -> {
				int[] group = groups.get(g);
				if (group.length == NUMERIC_GROUP) {
					fitNumericGroup(featureColumns, group, multiplicities[group[0]], features);
				}
				else {
					features[group[0]] = fitNumeric(featureColumns.get(group[0]), multiplicities[group[0]]);
				}
			});
		}
		return new Preprocessing(List.of(features), encoding);
	}

	/**
	 * Below this many values a pass runs on the caller's thread: splitting it would cost
	 * more than it saves.
	 */
	static final long PARALLEL_VALUES = 1 << 16;

	/**
	 * A row list shorter than the stored rows over this factor is encoded in sorted order
	 * instead of through a position per stored row.
	 */
	static final int SPARSE_FACTOR = 16;

	/** Stored rows per encoding task. */
	static final int ENCODE_RANGE_ROWS = 8192;

	/**
	 * Rows encoded column by column at a time: their output rows (a few hundred bytes
	 * each) stay in L2 while every column is written.
	 */
	static final int ENCODE_TILE_ROWS = 256;

	private static void checkColumn(ColumnData column) {
		if (column.type() == ColumnType.NUMERIC ? column.values() == null
				: column.codes() == null || column.levels() == null) {
			throw new IllegalArgumentException(
					"column '" + column.name() + "' has no data for its type " + column.type());
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

	/** Numeric columns whose statistics one pass over the rows gathers together. */
	private static final int NUMERIC_GROUP = 4;

	/**
	 * The numeric columns still to fit (null in features), four at a time where four
	 * share one multiplicity array, the rest one at a time.
	 */
	private static List<int[]> numericGroups(FeatureTransform[] features, int[][] multiplicities) {
		List<int[]> groups = new ArrayList<>();
		int[] open = new int[NUMERIC_GROUP];
		int filled = 0;
		for (int j = 0; j < features.length; j++) {
			if (features[j] != null) {
				continue;
			}
			if (filled > 0 && multiplicities[j] != multiplicities[open[0]]) {
				for (int i = 0; i < filled; i++) {
					groups.add(new int[] { open[i] });
				}
				filled = 0;
			}
			open[filled++] = j;
			if (filled == NUMERIC_GROUP) {
				groups.add(open.clone());
				filled = 0;
			}
		}
		for (int i = 0; i < filled; i++) {
			groups.add(new int[] { open[i] });
		}
		return groups;
	}

	/**
	 * {@link #fitNumeric} for four columns in one walk over the rows: each column's sums
	 * are the same additions in the same order, but four independent chains of additions
	 * run side by side instead of one, and the multiplicity is read once for all four. A
	 * column whose sums overflow (or that has no values) is fitted again on its own,
	 * through the fallbacks of {@link #fitNumeric}.
	 */
	private static void fitNumericGroup(List<ColumnData> columns, int[] group, int[] multiplicity,
			FeatureTransform[] features) {
		double[] a0 = columns.get(group[0]).values();
		double[] a1 = columns.get(group[1]).values();
		double[] a2 = columns.get(group[2]).values();
		double[] a3 = columns.get(group[3]).values();
		int n = multiplicity.length;
		if (a0.length != n || a1.length != n || a2.length != n || a3.length != n) {
			throw new IllegalArgumentException("columns of one group differ in length");
		}
		double s0 = 0;
		double s1 = 0;
		double s2 = 0;
		double s3 = 0;
		long c0 = 0;
		long c1 = 0;
		long c2 = 0;
		long c3 = 0;
		for (int r = 0; r < n; r++) {
			int m = multiplicity[r];
			if (m == 0) {
				continue;
			}
			double v0 = a0[r];
			double v1 = a1[r];
			double v2 = a2[r];
			double v3 = a3[r];
			if (Double.isFinite(v0)) {
				s0 += m == 1 ? v0 : m * v0;
				c0 += m;
			}
			if (Double.isFinite(v1)) {
				s1 += m == 1 ? v1 : m * v1;
				c1 += m;
			}
			if (Double.isFinite(v2)) {
				s2 += m == 1 ? v2 : m * v2;
				c2 += m;
			}
			if (Double.isFinite(v3)) {
				s3 += m == 1 ? v3 : m * v3;
				c3 += m;
			}
		}
		double mean0 = s0 / c0;
		double mean1 = s1 / c1;
		double mean2 = s2 / c2;
		double mean3 = s3 / c3;
		double q0 = 0;
		double q1 = 0;
		double q2 = 0;
		double q3 = 0;
		for (int r = 0; r < n; r++) {
			int m = multiplicity[r];
			if (m == 0) {
				continue;
			}
			double v0 = a0[r];
			double v1 = a1[r];
			double v2 = a2[r];
			double v3 = a3[r];
			if (Double.isFinite(v0)) {
				double d = v0 - mean0;
				q0 += m == 1 ? d * d : m * (d * d);
			}
			if (Double.isFinite(v1)) {
				double d = v1 - mean1;
				q1 += m == 1 ? d * d : m * (d * d);
			}
			if (Double.isFinite(v2)) {
				double d = v2 - mean2;
				q2 += m == 1 ? d * d : m * (d * d);
			}
			if (Double.isFinite(v3)) {
				double d = v3 - mean3;
				q3 += m == 1 ? d * d : m * (d * d);
			}
		}
		features[group[0]] = numericOf(columns.get(group[0]), multiplicity, c0, mean0, q0);
		features[group[1]] = numericOf(columns.get(group[1]), multiplicity, c1, mean1, q1);
		features[group[2]] = numericOf(columns.get(group[2]), multiplicity, c2, mean2, q2);
		features[group[3]] = numericOf(columns.get(group[3]), multiplicity, c3, mean3, q3);
	}

	/**
	 * A column's transform from its count, mean and sum of squared deviations as
	 * {@link #fitNumeric} finishes it; the column is fitted on its own when those took a
	 * fallback there (no values, an overflowed sum or sum of squares).
	 */
	private static FeatureTransform numericOf(ColumnData column, int[] multiplicity, long count, double mean,
			double squares) {
		if (count == 0 || !Double.isFinite(mean)) {
			return fitNumeric(column, multiplicity);
		}
		double scale = Math.sqrt(squares / count);
		if (!Double.isFinite(scale)) {
			return fitNumeric(column, multiplicity);
		}
		return FeatureTransform.numeric(column.name(), mean, scale == 0 ? 1.0 : scale);
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
					throw new IllegalArgumentException(
							"column '" + column.name() + "' has code " + code + " without a level");
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
		for (Map.Entry<String, Long> e : byCategory.entrySet()) { // sorted, so strict '>'
																	// keeps the smallest
																	// on ties
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
			width += width(f);
		}
		return width;
	}

	/**
	 * Encodes rows of the columns (same order as features) into a dense standardized,
	 * one-hot matrix.
	 */
	public double[][] transform(List<ColumnData> featureColumns, int[] rows) {
		return transformRows(featureColumns, rows).toArrays();
	}

	/**
	 * As {@link #transform}, row-major in one flat array. Rows are read in storage order
	 * and each output row is written whole, so a shuffled row list costs one scattered
	 * write per row rather than one cache miss per value.
	 */
	public DenseRows transformRows(List<ColumnData> featureColumns, int[] rows) {
		Objects.requireNonNull(rows, "rows");
		Encoder encoder = encoder(featureColumns);
		return transformRows(encoder, rows, DenseRows.allocate(rows.length, encoder.width));
	}

	/**
	 * As {@link #transformRows(List, int[])}, into blocks of blockRows rows: the same
	 * values, whatever the blocking.
	 */
	public DenseRows transformRows(List<ColumnData> featureColumns, int[] rows, int blockRows) {
		Objects.requireNonNull(rows, "rows");
		Encoder encoder = encoder(featureColumns);
		return transformRows(encoder, rows, DenseRows.allocate(rows.length, encoder.width, blockRows));
	}

	private DenseRows transformRows(Encoder encoder, int[] rows, DenseRows out) {
		int width = encoder.width;
		if (features.isEmpty() || rows.length == 0) {
			return out;
		}
		int n = encoder.rows;
		if ((long) rows.length * SPARSE_FACTOR < n) {
			// a few rows of a large dataset (held-out splits): sort the list rather than
			// scan a position per stored row
			long[] keys = new long[rows.length];
			for (int i = 0; i < rows.length; i++) {
				keys[i] = ((long) encoder.check(rows[i]) << 32) | i;
			}
			java.util.Arrays.sort(keys);
			for (int i = 0; i < keys.length; i++) {
				int row = (int) (keys[i] >>> 32);
				if (i > 0 && row == (int) (keys[i - 1] >>> 32)) {
					encodeInListOrder(encoder, rows, out);
					return out;
				}
			}
			Encoder.Tile tile = encoder.new Tile();
			for (long key : keys) {
				int i = (int) key;
				tile.add((int) (key >>> 32), out.arrayOf(i), out.offset(i));
			}
			tile.flush();
			return out;
		}
		// position of each stored row in the output, or -1; a row listed twice falls back
		// to reading in list order
		int[] position = new int[n];
		java.util.Arrays.fill(position, -1);
		boolean distinct = true;
		for (int i = 0; i < rows.length; i++) {
			int row = encoder.check(rows[i]);
			if (position[row] >= 0) {
				distinct = false;
				break;
			}
			position[row] = i;
		}
		if (distinct) {
			// fixed ranges of stored rows, each on one thread: every output row is
			// written whole by one task, so the result is the same whatever the thread
			// count
			int ranges = (n + ENCODE_RANGE_ROWS - 1) / ENCODE_RANGE_ROWS;
			long values = (long) rows.length * width;
			Blocks.forEach(ranges, values >= PARALLEL_VALUES ? Blocks.threads() : 1, b -> encoder
				.encodeStoredRows(b * ENCODE_RANGE_ROWS, Math.min(n, (b + 1) * ENCODE_RANGE_ROWS), position, out));
		}
		else {
			encodeInListOrder(encoder, rows, out);
		}
		return out;
	}

	/** Rows in list order, block by block (the blocks start zeroed). */
	private static void encodeInListOrder(Encoder encoder, int[] rows, DenseRows out) {
		int per = out.blockRows();
		for (int b = 0; b < out.blockCount(); b++) {
			int from = b * per;
			encoder.encode(rows, from, Math.min(rows.length, from + per), out.block(b));
		}
	}

	/**
	 * Encodes rows of the given columns (same order as features) one block at a time,
	 * without a full copy.
	 */
	public Encoder encoder(List<ColumnData> featureColumns) {
		return new Encoder(featureColumns);
	}

	/** The fitted encoding bound to a dataset's columns. */
	public final class Encoder {

		private final int width;

		private final int rows;

		private final int[] offsets;

		private final double[][] values;

		private final double[] means;

		private final double[] scales;

		private final int[][] codes;

		private final int[][] levelToCategory;

		private final int[] fallbacks;

		private final ColumnData first;

		private final boolean ordinal;

		private Encoder(List<ColumnData> featureColumns) {
			if (featureColumns.size() != features.size()) {
				throw new IllegalArgumentException(
						"expected " + features.size() + " feature columns, got " + featureColumns.size());
			}
			int k = features.size();
			this.width = outputWidth();
			this.offsets = new int[k];
			this.values = new double[k][];
			this.means = new double[k];
			this.scales = new double[k];
			this.codes = new int[k][];
			this.levelToCategory = new int[k][];
			this.fallbacks = new int[k];
			this.first = k == 0 ? null : featureColumns.get(0);
			this.ordinal = ordinal();
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
					throw new IllegalArgumentException(
							"column '" + column.name() + "' has " + column.rows() + " rows, the first column " + n);
				}
				this.offsets[j] = offset;
				if (f.numericFeature()) {
					if (column.type() != ColumnType.NUMERIC) {
						throw new IllegalArgumentException("column '" + column.name() + "' must be numeric");
					}
					this.values[j] = column.values();
					this.means[j] = f.mean();
					this.scales[j] = f.scale();
				}
				else if (f.width() > 0 || this.ordinal) {
					if (column.type() == ColumnType.NUMERIC) {
						throw new IllegalArgumentException(
								"column '" + column.name() + "' must be categorical or boolean");
					}
					List<String> levels = column.levels();
					int fallback = Collections.binarySearch(f.categories(), f.mostFrequent());
					int[] map = new int[levels.size()];
					for (int code = 0; code < map.length; code++) {
						int index = Collections.binarySearch(f.categories(), levels.get(code));
						map[code] = index >= 0 ? index : this.ordinal ? -1 : fallback;
					}
					this.codes[j] = column.codes();
					this.levelToCategory[j] = map;
					this.fallbacks[j] = this.ordinal ? -1 : fallback;
				}
				offset += Preprocessing.this.width(f);
			}
			this.rows = Math.max(n, 0);
		}

		/** Encoded values per row. */
		public int width() {
			return this.width;
		}

		/**
		 * Encodes rows[from..to) into out, row-major from index 0 (out is overwritten,
		 * one-hot zeros included).
		 */
		public void encode(int[] rowList, int from, int to, double[] out) {
			java.util.Arrays.fill(out, 0, (to - from) * this.width, 0.0);
			Tile tile = new Tile();
			for (int i = from; i < to; i++) {
				tile.add(check(rowList[i]), out, (i - from) * this.width);
			}
			tile.flush();
		}

		/**
		 * Encodes rows[from..to) column by column: encoded feature c of row rowList[from
		 * + t] goes to out[c][t] (out[c] is overwritten from 0 to to - from, one-hot
		 * zeros included). The same values as {@link #encode}, laid out for products over
		 * columns: each column is read and written front to back.
		 * @param out at least {@link #width()} arrays of at least to - from values
		 */
		public void encodeColumns(int[] rowList, int from, int to, double[][] out) {
			int n = to - from;
			for (int i = from; i < to; i++) {
				check(rowList[i]);
			}
			for (int j = 0; j < this.offsets.length; j++) {
				int offset = this.offsets[j];
				double[] column = this.values[j];
				if (column != null) {
					double[] target = out[offset];
					if (this.ordinal) {
						for (int t = 0; t < n; t++) {
							double v = column[rowList[from + t]];
							target[t] = Double.isFinite(v) ? v : Double.NaN;
						}
					}
					else {
						double mean = this.means[j];
						double scale = this.scales[j];
						for (int t = 0; t < n; t++) {
							double v = column[rowList[from + t]];
							target[t] = Double.isFinite(v) ? (v - mean) / scale : 0.0;
						}
					}
				}
				else if (this.codes[j] != null) {
					int[] map = this.levelToCategory[j];
					int[] codes = this.codes[j];
					int fallback = this.fallbacks[j];
					if (this.ordinal) {
						double[] target = out[offset];
						for (int t = 0; t < n; t++) {
							int code = codes[rowList[from + t]];
							int index = (code >= 0 && code < map.length) ? map[code] : fallback;
							target[t] = (index >= 0) ? index : Double.NaN;
						}
					}
					else {
						int categories = (j + 1 < this.offsets.length ? this.offsets[j + 1] : this.width) - offset;
						for (int c = 0; c < categories; c++) {
							java.util.Arrays.fill(out[offset + c], 0, n, 0.0);
						}
						for (int t = 0; t < n; t++) {
							int code = codes[rowList[from + t]];
							int index = (code >= 0 && code < map.length) ? map[code] : fallback;
							out[offset + index][t] = 1.0;
						}
					}
				}
			}
		}

		private int check(int row) {
			if (row < 0 || row >= this.rows) {
				throw this.first == null
						? new IllegalArgumentException("row " + row + " out of range: no feature columns")
						: outOfRange(this.first, row);
			}
			return row;
		}

		/**
		 * Encodes the stored rows [from, to) that have a position in out (-1: not listed)
		 * into that row of out (one-hot positions zero beforehand).
		 */
		void encodeStoredRows(int from, int to, int[] position, DenseRows out) {
			Tile tile = new Tile();
			for (int row = from; row < to; row++) {
				int i = position[row];
				if (i >= 0) {
					tile.add(row, out.arrayOf(i), out.offset(i));
				}
			}
			tile.flush();
		}

		/**
		 * Rows to encode, written column by column a tile at a time: each column is read
		 * in one run and the tile's output rows stay in cache, where a row at a time read
		 * every column at once (this halved W2's encoding).
		 */
		final class Tile {

			private final int[] stored = new int[ENCODE_TILE_ROWS];

			private final double[][] arrays = new double[ENCODE_TILE_ROWS][];

			private final int[] bases = new int[ENCODE_TILE_ROWS];

			private int size;

			/**
			 * Stored row goes to out[base..base+width), whose one-hot positions must be
			 * zero beforehand.
			 */
			void add(int row, double[] out, int base) {
				this.stored[this.size] = row;
				this.arrays[this.size] = out;
				this.bases[this.size] = base;
				if (++this.size == ENCODE_TILE_ROWS) {
					flush();
				}
			}

			/** Writes the rows added since the last flush. */
			void flush() {
				for (int j = 0; j < Encoder.this.offsets.length; j++) {
					column(j);
				}
				this.size = 0;
			}

			private void column(int j) {
				int n = this.size;
				int[] rows = this.stored;
				double[][] out = this.arrays;
				int[] base = this.bases;
				int offset = Encoder.this.offsets[j];
				double[] column = Encoder.this.values[j];
				if (column != null) {
					if (Encoder.this.ordinal) {
						for (int t = 0; t < n; t++) {
							double v = column[rows[t]];
							out[t][base[t] + offset] = Double.isFinite(v) ? v : Double.NaN;
						}
					}
					else {
						double mean = Encoder.this.means[j];
						double scale = Encoder.this.scales[j];
						for (int t = 0; t < n; t++) {
							double v = column[rows[t]];
							out[t][base[t] + offset] = Double.isFinite(v) ? (v - mean) / scale : 0.0;
						}
					}
				}
				else if (Encoder.this.codes[j] != null) {
					int[] map = Encoder.this.levelToCategory[j];
					int[] codes = Encoder.this.codes[j];
					int fallback = Encoder.this.fallbacks[j];
					for (int t = 0; t < n; t++) {
						int code = codes[rows[t]];
						int index = (code >= 0 && code < map.length) ? map[code] : fallback;
						if (Encoder.this.ordinal) {
							out[t][base[t] + offset] = (index >= 0) ? index : Double.NaN;
						}
						else {
							out[t][base[t] + offset + index] = 1.0;
						}
					}
				}
			}

		}

	}

	/**
	 * Encodes one raw row: values[i] is a Number (null or NaN = missing) for numeric
	 * features, a String (null = missing) for categorical/boolean ones (boolean also as
	 * Boolean, or "yes"/"no"). Unseen categories are treated as missing.
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
					throw new IllegalArgumentException(
							"feature '" + f.name() + "' expects a number, got " + value.getClass().getSimpleName());
				}
				if (ordinal()) {
					out[offset] = Double.isFinite(v) ? v : Double.NaN;
				}
				else {
					out[offset] = Double.isFinite(v) ? (v - f.mean()) / f.scale() : 0.0;
				}
			}
			else if (ordinal()) {
				int index = categoryIndex(f, normalize(f, value));
				out[offset] = (index >= 0) ? index : Double.NaN;
			}
			else if (f.width() > 0) {
				int index = categoryIndex(f, normalize(f, value));
				if (index < 0) {
					index = Collections.binarySearch(f.categories(), f.mostFrequent());
				}
				out[offset + index] = 1.0;
			}
			offset += width(f);
		}
		return out;
	}

	/**
	 * Whether value is a category seen in training for the categorical/boolean feature at
	 * featureIndex (after the same normalization as transformRow); false for null and for
	 * numeric features.
	 */
	public boolean isKnownCategory(int featureIndex, String value) {
		FeatureTransform f = features.get(featureIndex);
		return !f.numericFeature() && categoryIndex(f, normalize(f, value)) >= 0;
	}

	/** Names of the encoded columns, e.g. "sepal_length" or "color=red". */
	public List<String> outputNames() {
		List<String> names = new ArrayList<>(outputWidth());
		for (FeatureTransform f : features) {
			if (f.numericFeature() || ordinal()) {
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
			throw new IllegalArgumentException(
					"feature '" + f.name() + "' expects a string, got " + value.getClass().getSimpleName());
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
