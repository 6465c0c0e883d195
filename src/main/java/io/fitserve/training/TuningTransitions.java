package io.fitserve.training;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.fitserve.support.Ids;
import io.fitserve.web.ApiException;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Short transactions around a tuning job's state changes; trials run outside them. */
@Component
class TuningTransitions {

	private final TuningJobRepository repository;

	private final JobTransactions tx;

	TuningTransitions(TuningJobRepository repository, JobTransactions tx) {
		this.repository = repository;
		this.tx = tx;
	}

	public Optional<TuningJob> start(UUID id) {
		return tx.inTransaction(() -> repository.findById(id).filter(job -> job.getStatus() == JobStatus.QUEUED)
			.map(job -> {
				job.start();
				return job;
			}));
	}

	public void recordTrials(UUID id, List<TrialResult> leaderboard, int done, Double best) {
		tx.inTransaction(() -> load(id).recordTrials(leaderboard, done, best));
	}

	public void succeed(UUID id, UUID modelId) {
		tx.inTransaction(() -> load(id).succeed(modelId));
	}

	public void fail(UUID id, JobError error) {
		tx.inTransaction(() -> load(id).fail(error));
	}

	public void cancelled(UUID id) {
		tx.inTransaction(() -> load(id).cancelled());
	}

	/** Cancels a queued search or flags a running one; 404 unknown, 409 finished; retried on a concurrent update. */
	public TuningJob requestCancel(String id) {
		return tx.inTransaction(() -> {
			TuningJob job = Ids.parse(id).flatMap(repository::findById)
				.orElseThrow(() -> ApiException.notFound("Tuning job", id));
			if (job.getStatus() == JobStatus.SUCCEEDED || job.getStatus() == JobStatus.FAILED) {
				throw ApiException.conflict("Tuning job '" + id + "' already " + job.getStatus().wireName()
						+ "; only queued or running jobs can be cancelled.");
			}
			job.requestCancel();
			return job;
		});
	}

	@Transactional
	public int failAbandoned() {
		List<TuningJob> abandoned = repository.findByStatusIn(List.of(JobStatus.QUEUED, JobStatus.RUNNING));
		for (TuningJob job : abandoned) {
			job.fail(JobError.of("service-restarted", "Interrupted by a service restart", "The service stopped while "
					+ "this tuning job was " + job.getStatus().wireName() + "; submit it again."));
		}
		return abandoned.size();
	}

	private TuningJob load(UUID id) {
		return repository.findById(id).orElseThrow(() -> new IllegalStateException("tuning job " + id + " vanished"));
	}

}
