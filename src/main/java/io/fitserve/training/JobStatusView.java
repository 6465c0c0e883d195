package io.fitserve.training;

/**
 * A job's status alone: the projection of the job repositories' derived
 * {@code findStatusViewById}, which selects only the status column.
 */
public interface JobStatusView {

	JobStatus getStatus();

}
