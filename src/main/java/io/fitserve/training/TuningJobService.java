package io.fitserve.training;

import java.util.List;
import java.util.UUID;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetService;
import io.fitserve.datasets.DatasetUsage;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.storage.FreeSpaceGuard;
import io.fitserve.support.Ids;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Submits, reads and cancels hyperparameter searches. */
@Service
public class TuningJobService implements DatasetUsage {

	private static final List<JobStatus> ACTIVE = List.of(JobStatus.QUEUED, JobStatus.RUNNING);

	private final TuningJobRepository repository;

	private final DatasetService datasets;

	private final TrainingExecutor executor;

	private final TuningRunner runner;

	private final TuningTransitions transitions;

	private final TuningProperties properties;

	private final TrainingProperties trainingProperties;

	private final FreeSpaceGuard freeSpace;

	private final JobQueue queue;

	TuningJobService(TuningJobRepository repository, DatasetService datasets, TrainingExecutor executor,
			TuningRunner runner, TuningTransitions transitions, TuningProperties properties,
			TrainingProperties trainingProperties, FreeSpaceGuard freeSpace, JobQueue queue) {
		this.queue = queue;
		this.freeSpace = freeSpace;
		this.trainingProperties = trainingProperties;
		this.repository = repository;
		this.datasets = datasets;
		this.executor = executor;
		this.runner = runner;
		this.transitions = transitions;
		this.properties = properties;
	}

	public TuningJob submit(TuningJobRequest request) {
		if (request.datasetId() == null) {
			throw DomainException.invalid("datasetId is required.",
					List.of(FieldError.field("datasetId", "is required")));
		}
		Dataset dataset = datasets.get(request.datasetId());
		io.fitserve.datasets.DatasetFrame frame = datasets.frame(dataset.getId());
		TuningSpec spec = TuningResolver.resolve(request, dataset, frame);
		TuningResolver.checkLimits(spec, frame, trainingProperties);
		freeSpace.require("a new tuning job");
		TrainingJobService.rejectWhileShuttingDown(executor);
		return queue.admit(JobQueue.TUNING, () -> {
			if (repository.countByStatusIn(ACTIVE) >= properties.maxActiveJobs()) {
				throw DomainException.tooBusy("At most " + properties.maxActiveJobs()
						+ " tuning job(s) may be queued or running (fitserve.tuning.max-active-jobs); retry later.",
						TrainingJobService.RETRY_AFTER);
			}
			return repository.save(TuningJob.queued(spec));
		}, TuningJob::getId, "The training queue is full; retry later.");
	}

	@Transactional(readOnly = true)
	public TuningJob get(String id) {
		return Ids.parse(id)
			.flatMap(repository::findById)
			.orElseThrow(() -> DomainException.notFound("Tuning job", id));
	}

	@Transactional(readOnly = true)
	public Page<TuningJob> list(JobStatus status, Pageable pageable) {
		return status == null ? repository.findAll(pageable) : repository.findByStatus(status, pageable);
	}

	public TuningJob cancel(String id) {
		TuningJob job = transitions.requestCancel(id);
		if (job.getStatus() == JobStatus.RUNNING) {
			runner.requestCancel(job.getId());
		}
		return job;
	}

	@Override
	@Transactional(readOnly = true)
	public boolean inUse(UUID datasetId) {
		return repository.existsByDatasetIdAndStatusIn(datasetId, ACTIVE);
	}

}
