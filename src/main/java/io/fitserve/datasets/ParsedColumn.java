package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import io.fitserve.ml.data.ColumnType;
import java.util.List;

/**
 * One column as a parse leaves it: a numeric column's values stay in the parse's chunks
 * (off-heap blocks for all but small columns), so that storing them needs no second copy
 * of the column. {@link #toColumnData()} copies them into the one array a
 * {@link ColumnData} holds. Fields as in {@link ColumnData}.
 */
final class ParsedColumn {

	private final String name;

	private final ColumnType type;

	private DoubleChunks values;

	private final int[] codes;

	private final List<String> levels;

	private final int rows;

	ParsedColumn(String name, ColumnType type, DoubleChunks values, int[] codes, List<String> levels) {
		this.name = name;
		this.type = type;
		this.values = values;
		this.codes = codes;
		this.levels = levels;
		this.rows = values != null ? values.size() : codes.length;
	}

	/** The column's own arrays, not copied. */
	static ParsedColumn of(ColumnData column) {
		return new ParsedColumn(column.name(), column.type(),
				column.values() != null ? DoubleChunks.wrap(column.values()) : null, column.codes(), column.levels());
	}

	String name() {
		return this.name;
	}

	ColumnType type() {
		return this.type;
	}

	/** The values in chunks (null for a column without values); read, do not change. */
	DoubleChunks values() {
		return this.values;
	}

	int[] codes() {
		return this.codes;
	}

	List<String> levels() {
		return this.levels;
	}

	int rows() {
		return this.rows;
	}

	/**
	 * Drops the values (see {@link DoubleChunks#release()}); this is spent afterwards.
	 */
	void release() {
		if (this.values != null) {
			this.values.release();
			this.values = null;
		}
	}

	/** The column with its values in one array; this is spent afterwards. */
	ColumnData toColumnData() {
		double[] v = this.values != null ? this.values.drain() : null;
		this.values = null;
		return new ColumnData(this.name, this.type, v, this.codes, this.levels);
	}

}
