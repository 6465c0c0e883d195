package io.fitserve.datasets;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A window of a dataset's rows, each a JSON object keyed by column name. */
@Schema(description = "A window of a dataset's rows, each a JSON object keyed by column name")
public record DatasetRowsResponse(UUID datasetId, long offset, int limit, long totalRows,
		List<Map<String, Object>> rows) {
}
