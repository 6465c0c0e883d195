package io.fitserve.training;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface TuningJobRepository extends JpaRepository<TuningJob, UUID> {

	Page<TuningJob> findByStatus(JobStatus status, Pageable pageable);

	long countByStatusIn(Collection<JobStatus> statuses);

	/** The search's status alone (empty for an unknown one). */
	@Query("select j.status from TuningJob j where j.id = :id")
	Optional<JobStatus> findStatusById(@Param("id") UUID id);

	boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<JobStatus> statuses);

}
