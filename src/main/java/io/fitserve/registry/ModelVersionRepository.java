package io.fitserve.registry;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface ModelVersionRepository extends JpaRepository<ModelVersion, UUID> {

	Optional<ModelVersion> findByRegisteredModelIdAndVersion(UUID registeredModelId, int version);

	Page<ModelVersion> findByRegisteredModelId(UUID registeredModelId, Pageable pageable);

	Optional<ModelVersion> findFirstByModelIdOrderByCreatedAtAsc(UUID modelId);

}
