package io.fitserve.datasets;

/**
 * Upper bounds an upload must respect.
 *
 * @param maxRecordBytes longest record (a line, or several when a quoted cell holds
 * newlines), in bytes
 */
public record IngestLimits(int maxColumns, long maxRows, int maxRecordBytes) {

	/** Longest column name kept (the width of the stored target column). */
	public static final int MAX_COLUMN_NAME_LENGTH = 255;

	public IngestLimits(int maxColumns, long maxRows) {
		this(maxColumns, maxRows, 64 << 20);
	}

}
