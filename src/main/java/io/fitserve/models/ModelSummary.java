package io.fitserve.models;

import java.time.Instant;
import java.util.UUID;

/** A model as listed. */
public record ModelSummary(UUID id, UUID datasetId, String algorithm, String task, String target, Instant createdAt) {

	static ModelSummary from(TrainedModel m) {
		return new ModelSummary(m.getId(), m.getDatasetId(), m.getAlgorithm(), m.getTask(), m.getTarget(),
				m.getCreatedAt());
	}

}
