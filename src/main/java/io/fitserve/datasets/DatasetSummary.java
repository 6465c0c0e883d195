package io.fitserve.datasets;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A dataset as listed: identity and size, without profiles. */
@Schema(description = "A dataset as listed: identity and size, without profiles")
public record DatasetSummary(UUID id, String name, String sha256, long sizeBytes, long rows, int columnCount,
		Instant createdAt) {

	static DatasetSummary from(Dataset d) {
		return new DatasetSummary(d.getId(), d.getName(), d.getSha256(), d.getSizeBytes(), d.getRowCount(),
				d.getColumnCount(), d.getCreatedAt());
	}

}
