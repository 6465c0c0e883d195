package io.fitserve.models;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ModelFairnessRepository extends JpaRepository<ModelFairness, UUID> {

	List<ModelFairness> findByModelIdOrderByCreatedAtDesc(UUID modelId);

	Optional<ModelFairness> findByIdAndModelId(UUID id, UUID modelId);

}
