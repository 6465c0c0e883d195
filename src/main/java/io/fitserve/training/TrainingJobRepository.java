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

interface TrainingJobRepository extends JpaRepository<TrainingJob, UUID> {

	Page<TrainingJob> findByStatus(JobStatus status, Pageable pageable);

	List<TrainingJob> findByTuningJobIdAndStatusIn(UUID tuningJobId, Collection<JobStatus> statuses);

	/** The job's status alone (empty for an unknown job). */
	@Query("select j.status from TrainingJob j where j.id = :id")
	Optional<JobStatus> findStatusById(@Param("id") UUID id);

	boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<JobStatus> statuses);

	/**
	 * [status, count] per status that has jobs (one grouped query, for the jobs-by-status
	 * gauge).
	 */
	@Query("select j.status, count(j) from TrainingJob j group by j.status")
	List<Object[]> countByStatus();

}
