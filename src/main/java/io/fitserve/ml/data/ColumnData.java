package io.fitserve.ml.data;

import java.util.List;

/**
 * One column of a dataset in columnar form.
 *
 * @param values NUMERIC: value per row, NaN for missing; null for other types
 * @param codes CATEGORICAL/BOOLEAN: level index per row, -1 for missing. NUMERIC: also
 * filled when the column has at most {@code CsvIngest.DISTINCT_CAP} distinct values, so a
 * numeric column can serve as a class label with its text as written; otherwise null
 * @param levels code to text: as written (CATEGORICAL, NUMERIC), "false","true" (BOOLEAN)
 */
public record ColumnData(String name, ColumnType type, double[] values, int[] codes, List<String> levels) {

	public int rows() {
		return values != null ? values.length : codes.length;
	}

}
