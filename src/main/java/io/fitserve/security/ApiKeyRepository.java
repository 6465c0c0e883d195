package io.fitserve.security;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID> {

	boolean existsByRevokedAtIsNull();

	/**
	 * Moves last-used forward only when the stored value is older than
	 * {@code staleBefore}: one write a minute at most.
	 */
	@Modifying
	@Query("update ApiKey k set k.lastUsedAt = :at where k.id = :id and (k.lastUsedAt is null or k.lastUsedAt < :staleBefore)")
	int touch(@Param("id") UUID id, @Param("at") Instant at, @Param("staleBefore") Instant staleBefore);

}
