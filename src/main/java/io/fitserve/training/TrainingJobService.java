package io.fitserve.training;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetService;
import io.fitserve.datasets.DatasetUsage;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.storage.FreeSpaceGuard;
import io.fitserve.support.Ids;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Submits, reads and cancels training jobs. */
@Service
public class TrainingJobService implements DatasetUsage {

	private static final Log log = LogFactory.getLog(TrainingJobService.class);

	static final Duration RETRY_AFTER = Duration.ofSeconds(10);

	private final TrainingJobRepository repository;

	private final DatasetService datasets;

	private final TrainingExecutor executor;

	private final TrainingRunner runner;

	private final JobQueue queue;

	private final JobTransitions transitions;

	private final LiveProgress live;

	private final TrainingProperties properties;

	private final FreeSpaceGuard freeSpace;

	TrainingJobService(TrainingJobRepository repository, DatasetService datasets, TrainingExecutor executor,
			TrainingRunner runner, JobTransitions transitions, LiveProgress live, TrainingProperties properties,
			FreeSpaceGuard freeSpace, JobQueue queue) {
		this.queue = queue;
		this.freeSpace = freeSpace;
		this.repository = repository;
		this.datasets = datasets;
		this.executor = executor;
		this.runner = runner;
		this.transitions = transitions;
		this.live = live;
		this.properties = properties;
	}

	/**
	 * Validates the spec and, if the cluster has room (429 if not, 503 while shutting
	 * down), records the job and its execution in one transaction. Both are committed
	 * (with H2, WRITE_DELAY=0 writes them to the file) before the 202 goes out, so an
	 * acknowledged job survives even a kill -9; a free slot on any replica then picks it
	 * up.
	 */
	public TrainingJob submit(TrainingJobRequest request) {
		rejectWhileShuttingDown(executor);
		if (request.datasetId() == null) {
			throw DomainException.invalid("datasetId is required.",
					List.of(FieldError.field("datasetId", "is required")));
		}
		Dataset dataset = datasets.get(request.datasetId());
		io.fitserve.datasets.DatasetFrame frame = datasets.frame(dataset.getId());
		TrainingSpec spec = SpecResolver.resolve(request, dataset, frame);
		TrainingLimits.check(spec, frame, properties);
		freeSpace.require("a new training job");
		return queue.admit(JobQueue.TRAINING, () -> repository.save(TrainingJob.queued(spec)), TrainingJob::getId,
				"The training queue is full; retry later or raise fitserve.training.queue-capacity.");
	}

	@Transactional(readOnly = true)
	public TrainingJob get(String id) {
		return Ids.parse(id)
			.flatMap(repository::findById)
			.orElseThrow(() -> DomainException.notFound("Training job", id));
	}

	/**
	 * One page of jobs with their live progress, the snapshots taken before the rows are
	 * read (see {@link #getWithProgress}).
	 */
	@Transactional(readOnly = true)
	Page<WithProgress> listWithProgress(JobStatus status, Pageable pageable) {
		Map<UUID, LiveProgress.Snapshot> snapshots = live.all();
		return list(status, pageable).map(job -> new WithProgress(job, snapshots.get(job.getId())));
	}

	@Transactional(readOnly = true)
	public Page<TrainingJob> list(JobStatus status, Pageable pageable) {
		return status == null ? repository.findAll(pageable) : repository.findByStatus(status, pageable);
	}

	/** Per-epoch losses: live while running, stored once finished. */
	@Transactional(readOnly = true)
	public List<EpochRecord> history(String id) {
		TrainingJob job = get(id);
		if (job.getStatus() == JobStatus.RUNNING) {
			List<EpochRecord> running = runner.liveHistory(job.getId());
			if (running != null) {
				return running;
			}
		}
		return job.getHistory();
	}

	LiveProgress.Snapshot liveProgress(UUID id) {
		return live.get(id);
	}

	/** A job and its live progress on this replica (null when it has none). */
	record WithProgress(TrainingJob job, LiveProgress.Snapshot live) {
	}

	/**
	 * The job with its live progress, the snapshot taken before the row is read. The
	 * runner drops a job's snapshot only after its final state is committed, so a row
	 * read after a missing snapshot is never a finishing job's stale running row (whose
	 * stored epoch lags: its progress went from 0.1 back to 0.0 before 1.0 in an event
	 * stream when the row was read first).
	 */
	WithProgress getWithProgress(String id) {
		LiveProgress.Snapshot snapshot = Ids.parse(id).map(live::get).orElse(null);
		return new WithProgress(get(id), snapshot);
	}

	/**
	 * Cancels a queued job at once and asks a running one to stop; 409 for a finished
	 * job. The request is recorded first (retried if the trainer updated the job
	 * meanwhile), then the trainer is told, so the job ends cancelled, or in the state it
	 * reached first.
	 */
	public TrainingJob cancel(String id) {
		TrainingJob job = transitions.requestCancel(id);
		if (job.getStatus() == JobStatus.RUNNING) {
			live.requestCancel(job.getId());
		}
		return job;
	}

	@Override
	@Transactional(readOnly = true)
	public boolean inUse(UUID datasetId) {
		return repository.existsByDatasetIdAndStatusIn(datasetId, List.of(JobStatus.QUEUED, JobStatus.RUNNING));
	}

	/** 503 + Retry-After once the service has begun to shut down. */
	static void rejectWhileShuttingDown(TrainingExecutor executor) {
		if (executor.shuttingDown()) {
			throw DomainException.unavailable(
					"The service is shutting down and takes no new jobs; retry against the restarted service.",
					RETRY_AFTER);
		}
	}

}
