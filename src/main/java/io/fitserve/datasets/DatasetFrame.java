package io.fitserve.datasets;

import io.fitserve.ml.data.ColumnData;
import java.util.List;

/** A whole dataset in memory, column by column. */
public record DatasetFrame(int rows, List<ColumnData> columns) {

	/** The column with this name, or null. */
	public ColumnData column(String name) {
		for (ColumnData c : columns) {
			if (c.name().equals(name)) {
				return c;
			}
		}
		return null;
	}

}
