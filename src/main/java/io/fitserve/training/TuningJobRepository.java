package io.fitserve.training;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TuningJobRepository extends JpaRepository<TuningJob, UUID> {

	Page<TuningJob> findByStatus(JobStatus status, Pageable pageable);

	List<TuningJob> findByStatusIn(Collection<JobStatus> statuses);

	long countByStatusIn(Collection<JobStatus> statuses);

	boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<JobStatus> statuses);

}
