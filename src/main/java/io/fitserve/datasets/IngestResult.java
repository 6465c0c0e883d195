package io.fitserve.datasets;

import java.util.List;

/**
 * Everything learned from one pass over a CSV file.
 *
 * @param delimiter the detected cell delimiter
 * @param sha256 lowercase hex SHA-256 of the raw bytes (BOM included)
 * @param bytes size of the raw input in bytes
 */
public record IngestResult(DatasetFrame frame, List<ColumnSchema> schema, char delimiter, String sha256, long bytes) {
}
