package io.fitserve.training;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface TuningJobRepository extends JpaRepository<TuningJob, UUID> {

	Page<TuningJob> findByStatus(JobStatus status, Pageable pageable);

	long countByStatusIn(Collection<JobStatus> statuses);

	/**
	 * The search's status alone (empty for an unknown one). A derived query: a declared
	 * JPQL string would be parsed twice at start-up (Spring Data's and Hibernate's
	 * parsers).
	 */
	Optional<JobStatusView> findStatusViewById(UUID id);

	default Optional<JobStatus> findStatusById(UUID id) {
		return findStatusViewById(id).map(JobStatusView::getStatus);
	}

	boolean existsByDatasetIdAndStatusIn(UUID datasetId, Collection<JobStatus> statuses);

}
