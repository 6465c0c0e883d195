package io.fitserve.models;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ModelCompressionRepository extends JpaRepository<ModelCompression, UUID> {

	List<ModelCompression> findByModelIdOrderByCreatedAtDesc(UUID modelId);

	Optional<ModelCompression> findByIdAndModelId(UUID id, UUID modelId);

}
