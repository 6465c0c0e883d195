package io.fitserve.datasets;

/** The inferred type of a dataset column. */
public enum ColumnType {
	NUMERIC, CATEGORICAL, BOOLEAN
}
