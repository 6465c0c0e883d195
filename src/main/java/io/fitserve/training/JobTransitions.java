package io.fitserve.training;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.fitserve.ml.EpochLoss;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Short transactions around a job's state changes; the training itself runs outside them. */
@Component
class JobTransitions {

	private final TrainingJobRepository repository;

	JobTransitions(TrainingJobRepository repository) {
		this.repository = repository;
	}

	/** Moves a queued job to running; empty if it was cancelled (or vanished) while queued. */
	@Transactional
	public Optional<TrainingJob> start(UUID id) {
		return repository.findById(id).filter(job -> job.getStatus() == JobStatus.QUEUED).map(job -> {
			job.start();
			return job;
		});
	}

	@Transactional
	public void progress(UUID id, EpochLoss loss, long elapsedMs) {
		repository.findById(id).filter(job -> job.getStatus() == JobStatus.RUNNING)
			.ifPresent(job -> job.recordProgress(loss, elapsedMs));
	}

	@Transactional
	public void succeed(UUID id, UUID modelId, List<EpochLoss> history, long elapsedMs) {
		load(id).succeed(modelId, history, elapsedMs);
	}

	@Transactional
	public void fail(UUID id, JobError error, List<EpochLoss> history, long elapsedMs) {
		load(id).fail(error, history, elapsedMs);
	}

	@Transactional
	public void cancelled(UUID id, List<EpochLoss> history, long elapsedMs) {
		load(id).cancelled(history, elapsedMs);
	}

	/** Marks jobs that a previous process left queued or running as failed; they would never finish. */
	@Transactional
	public int failAbandoned() {
		List<TrainingJob> abandoned = repository.findByStatusIn(List.of(JobStatus.QUEUED, JobStatus.RUNNING));
		for (TrainingJob job : abandoned) {
			String was = job.getStatus().wireName();
			job.fail(JobError.of("service-restarted", "Interrupted by a service restart",
					"The service stopped while this job was " + was + "; submit it again."), List.of(),
					job.getElapsedMs());
		}
		return abandoned.size();
	}

	private TrainingJob load(UUID id) {
		return repository.findById(id).orElseThrow(() -> new IllegalStateException("training job " + id + " vanished"));
	}

}
