package io.fitserve.datasets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A dataset with its schema and column profiles. */
@Schema(description = "A dataset with its schema and column profiles")
public record DatasetResponse(UUID id, String name, String originalFilename, String sha256, long sizeBytes, long rows,
		int columnCount, String delimiter, List<ColumnSchema> columns,
		@Schema(description = "columns the upload option mask dropped: named here, stored nowhere") List<String> droppedColumns,
		Instant createdAt) {

	static DatasetResponse from(Dataset d) {
		return new DatasetResponse(d.getId(), d.getName(), d.getOriginalFilename(), d.getSha256(), d.getSizeBytes(),
				d.getRowCount(), d.getColumnCount(), d.getDelimiter(), d.getColumns(), d.getDroppedColumns(),
				d.getCreatedAt());
	}

}
