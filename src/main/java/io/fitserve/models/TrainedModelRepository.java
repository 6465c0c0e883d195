package io.fitserve.models;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface TrainedModelRepository extends JpaRepository<TrainedModel, UUID> {

	@org.springframework.data.jpa.repository.Query("SELECT m.id FROM TrainedModel m WHERE m.importanceStatus = 'pending' ORDER BY m.createdAt")
	java.util.List<UUID> findIdsWithPendingImportance();

	@org.springframework.data.jpa.repository.Query("SELECT COUNT(m) > 0 FROM TrainedModel m WHERE m.datasetId = ?1 AND m.importanceStatus = 'pending'")
	boolean pendingImportanceUses(UUID datasetId);

}
