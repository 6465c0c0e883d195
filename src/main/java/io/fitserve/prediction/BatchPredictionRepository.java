package io.fitserve.prediction;

import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import io.fitserve.training.JobStatus;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface BatchPredictionRepository extends JpaRepository<BatchPredictionJob, UUID> {

	Page<BatchPredictionJob> findByStatus(JobStatus status, Pageable pageable);

	/** The job's status alone (empty for an unknown job). */
	@Query("select j.status from BatchPredictionJob j where j.id = :id")
	Optional<JobStatus> findStatusById(@Param("id") UUID id);

	boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<JobStatus> statuses);

}
