package io.fitserve.registry;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface RegisteredModelRepository extends JpaRepository<RegisteredModel, UUID> {

	Optional<RegisteredModel> findByName(String name);

	boolean existsByName(String name);

}
