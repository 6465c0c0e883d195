package io.fitserve.security;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID>, ApiKeyTouch {

	boolean existsByRevokedAtIsNull();

}
