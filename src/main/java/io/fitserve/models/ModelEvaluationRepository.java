package io.fitserve.models;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ModelEvaluationRepository extends JpaRepository<ModelEvaluation, UUID> {

	List<ModelEvaluation> findByModelIdOrderByCreatedAtDesc(UUID modelId);

	void deleteByModelId(UUID modelId);

}
