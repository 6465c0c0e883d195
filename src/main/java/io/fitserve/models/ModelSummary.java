package io.fitserve.models;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A model as listed. */
@Schema(description = "A model as listed")
public record ModelSummary(UUID id, UUID datasetId, String algorithm, String task, String target, Instant createdAt) {

	static ModelSummary from(TrainedModel m) {
		return new ModelSummary(m.getId(), m.getDatasetId(), m.getAlgorithm(), m.getTask(), m.getTarget(),
				m.getCreatedAt());
	}

}
