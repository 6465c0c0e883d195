package io.fitserve.models;

import java.util.List;
import java.util.UUID;

/**
 * Models whose permutation importance is still to compute, for
 * {@link TrainedModelRepository}.
 */
interface PendingImportance {

	/** Their ids, oldest model first. */
	List<UUID> findIdsWithPendingImportance();

	/** Whether one of them was trained on the dataset. */
	boolean pendingImportanceUses(UUID datasetId);

}
