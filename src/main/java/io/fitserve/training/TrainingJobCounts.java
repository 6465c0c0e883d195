package io.fitserve.training;

import java.util.List;

/** Jobs per status, for {@link TrainingJobRepository}. */
interface TrainingJobCounts {

	/**
	 * [status, count] per status that has jobs (one grouped query, for the jobs-by-status
	 * gauge).
	 */
	List<Object[]> countByStatus();

}
