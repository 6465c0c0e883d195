package io.fitserve.datasets;

import java.util.List;

/**
 * Everything learned from one pass over a CSV file.
 *
 * @param delimiter the detected cell delimiter
 * @param sha256 lowercase hex SHA-256 of the raw bytes (BOM included)
 * @param bytes size of the raw input in bytes
 * @param droppedColumns the columns the upload's mask dropped, in header order
 */
public record IngestResult(DatasetFrame frame, List<ColumnSchema> schema, char delimiter, String sha256, long bytes,
		List<String> droppedColumns) {

	public IngestResult(DatasetFrame frame, List<ColumnSchema> schema, char delimiter, String sha256, long bytes) {
		this(frame, schema, delimiter, sha256, bytes, List.of());
	}

}
