package io.fitserve.registry;

import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface AliasEventRepository extends JpaRepository<AliasEvent, UUID> {

	Page<AliasEvent> findByRegisteredModelIdAndAlias(UUID registeredModelId, String alias, Pageable pageable);

}
