package io.fitserve.datasets;

import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface DatasetRepository extends JpaRepository<Dataset, UUID> {

	/** The uploaded bytes of all stored datasets (0 when none). */
	@Query("select coalesce(sum(d.sizeBytes), 0) from Dataset d")
	long sumSizeBytes();

}
