package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import java.io.IOException;
import java.io.Writer;

/**
 * A stored dataset written back as CSV, so that uploading the file again gives the same
 * schema and values: numeric cells as their text as written when the column keeps it (at
 * most {@link CsvIngest#DISTINCT_CAP} distinct values), else as the shortest decimal that
 * parses back to the stored double; booleans as true/false; categories as written;
 * missing cells empty. Batch predictions read a dataset's rows through {@link #cell}, so
 * they score exactly what the download would hold.
 */
public final class DatasetCsv {

	private DatasetCsv() {
	}

	static void write(DatasetFrame frame, Writer out) throws IOException {
		CsvWriter csv = new CsvWriter(out);
		for (ColumnData column : frame.columns()) {
			csv.field(column.name());
		}
		csv.endRecord();
		int columns = frame.columns().size();
		for (int r = 0; r < frame.rows(); r++) {
			for (int c = 0; c < columns; c++) {
				csv.field(cell(frame.columns().get(c), r));
			}
			csv.endRecord();
		}
		csv.flush();
	}

	/**
	 * One cell as the CSV download writes it; null for a missing cell (written empty).
	 */
	public static String cell(ColumnData column, int row) {
		if (column.codes() != null) {
			int code = column.codes()[row];
			return code < 0 ? null : column.levels().get(code);
		}
		double v = column.values()[row];
		return Double.isNaN(v) ? null : CsvWriter.number(v);
	}

}
