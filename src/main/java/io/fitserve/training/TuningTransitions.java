package io.fitserve.training;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Short transactions around a tuning job's state changes; trials run outside them. */
@Component
class TuningTransitions {

	private final TuningJobRepository repository;

	TuningTransitions(TuningJobRepository repository) {
		this.repository = repository;
	}

	@Transactional
	public Optional<TuningJob> start(UUID id) {
		return repository.findById(id).filter(job -> job.getStatus() == JobStatus.QUEUED).map(job -> {
			job.start();
			return job;
		});
	}

	@Transactional
	public void recordTrials(UUID id, List<TrialResult> leaderboard, int done, Double best) {
		load(id).recordTrials(leaderboard, done, best);
	}

	@Transactional
	public void succeed(UUID id, UUID modelId) {
		load(id).succeed(modelId);
	}

	@Transactional
	public void fail(UUID id, JobError error) {
		load(id).fail(error);
	}

	@Transactional
	public void cancelled(UUID id) {
		load(id).cancelled();
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
