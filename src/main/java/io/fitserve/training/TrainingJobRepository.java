package io.fitserve.training;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TrainingJobRepository extends JpaRepository<TrainingJob, UUID> {

	Page<TrainingJob> findByStatus(JobStatus status, Pageable pageable);

	List<TrainingJob> findByStatusIn(Collection<JobStatus> statuses);

	boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<JobStatus> statuses);

}
