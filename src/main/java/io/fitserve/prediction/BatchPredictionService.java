package io.fitserve.prediction;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.fitserve.datasets.ColumnSchema;
import io.fitserve.datasets.Dataset;
import io.fitserve.datasets.DatasetService;
import io.fitserve.datasets.DatasetUsage;
import io.fitserve.errors.DomainException;
import io.fitserve.errors.FieldError;
import io.fitserve.storage.FreeSpaceGuard;
import io.fitserve.support.Ids;
import io.fitserve.training.JobQueue;
import io.fitserve.training.JobStatus;
import io.fitserve.training.TrainingExecutor;
import io.fitserve.web.RequestChecks;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Submits, reads, cancels and deletes batch predictions, and serves their results. */
@Service
public class BatchPredictionService implements DatasetUsage {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

	private static final String SCORED_SUFFIX = "-scored";

	private final BatchPredictionRepository repository;

	private final BatchPredictionTransitions transitions;

	private final PredictionService predictions;

	private final DatasetService datasets;

	private final JobQueue queue;

	private final TrainingExecutor executor;

	private final BatchResultStore results;

	private final FreeSpaceGuard freeSpace;

	BatchPredictionService(BatchPredictionRepository repository, BatchPredictionTransitions transitions,
			PredictionService predictions, DatasetService datasets, JobQueue queue, TrainingExecutor executor,
			BatchResultStore results, FreeSpaceGuard freeSpace) {
		this.repository = repository;
		this.transitions = transitions;
		this.predictions = predictions;
		this.datasets = datasets;
		this.queue = queue;
		this.executor = executor;
		this.results = results;
		this.freeSpace = freeSpace;
	}

	/**
	 * Checks everything that can be checked before a row is scored (the request, the
	 * model and dataset exist, the dataset has the model's features, the threshold suits
	 * the model), then, if the cluster has room (429 if not, 503 while shutting down),
	 * records the job and its execution in one transaction.
	 */
	public BatchPredictionJob submit(String modelId, BatchPredictionRequest request) {
		if (executor.shuttingDown()) {
			throw DomainException.unavailable(
					"The service is shutting down and takes no new jobs; retry against the restarted service.",
					RETRY_AFTER);
		}
		if (request == null || request.datasetId() == null) {
			throw DomainException.invalid("datasetId is required.",
					List.of(FieldError.field("datasetId", "is required")));
		}
		RequestChecks.datasetId(request.datasetId());
		CsvScoring.OnError onError = CsvScoring.OnError.parse(request.onError());
		boolean save = Boolean.TRUE.equals(request.saveAsDataset());
		if (!save && request.datasetName() != null) {
			throw DomainException.invalid("datasetName names the saved result; it needs saveAsDataset true.",
					List.of(FieldError.field("datasetName", "only with saveAsDataset true")));
		}
		RequestChecks.name("datasetName", request.datasetName());
		if (request.datasetName() != null && request.datasetName().isBlank()) {
			throw DomainException.invalid("datasetName is blank.",
					List.of(FieldError.field("datasetName", "must not be blank (leave it out for the default)")));
		}
		// 404 for an unknown model
		PredictionService.Shape shape = predictions.shape(modelId);
		UUID model = predictions.checkThreshold(modelId, request.threshold());
		Dataset dataset = datasets.get(request.datasetId());
		List<FieldError> missing = missingFeatures(shape, dataset);
		if (!missing.isEmpty()) {
			throw DomainException.unprocessable("Dataset '" + dataset.getName() + "' lacks " + missing.size()
					+ " of the model's features as columns.", missing);
		}
		String name = save ? savedName(request.datasetName(), dataset.getName()) : null;
		freeSpace.require("a new batch prediction");
		return queue.admit(JobQueue.BATCH_PREDICTION,
				() -> repository.save(BatchPredictionJob.queued(model, dataset.getId(), dataset.getRowCount(), onError,
						request.threshold(), save, name)),
				BatchPredictionJob::getId,
				"The job queue is full; retry later or raise fitserve.training.queue-capacity.");
	}

	private static List<FieldError> missingFeatures(PredictionService.Shape shape, Dataset dataset) {
		Set<String> columns = new HashSet<>();
		for (ColumnSchema column : dataset.getColumns()) {
			columns.add(column.name());
		}
		List<FieldError> missing = new ArrayList<>();
		for (String feature : shape.features()) {
			if (!columns.contains(feature)) {
				missing.add(FieldError.field(feature, "feature '" + feature + "' is not a column of the dataset"));
			}
		}
		return missing;
	}

	private static String savedName(String requested, String datasetName) {
		if (requested != null) {
			return requested.strip();
		}
		int room = RequestChecks.MAX_NAME_LENGTH - SCORED_SUFFIX.length();
		return (datasetName.length() > room ? datasetName.substring(0, room) : datasetName) + SCORED_SUFFIX;
	}

	@Transactional(readOnly = true)
	public BatchPredictionJob get(String id) {
		return Ids.parse(id)
			.flatMap(repository::findById)
			.orElseThrow(() -> DomainException.notFound("Batch prediction", id));
	}

	@Transactional(readOnly = true)
	public Page<BatchPredictionJob> list(JobStatus status, Pageable pageable) {
		return status == null ? repository.findAll(pageable) : repository.findByStatus(status, pageable);
	}

	/**
	 * Cancels a queued job at once and flags a running one (it stops after its current
	 * chunk); 409 once finished.
	 */
	public BatchPredictionJob cancel(String id) {
		return transitions.requestCancel(id);
	}

	/**
	 * The result CSV of a succeeded job; 409 before that (or when it failed or was
	 * cancelled).
	 */
	public InputStream result(BatchPredictionJob job) {
		if (job.getStatus() != JobStatus.SUCCEEDED) {
			throw DomainException.conflict("Batch prediction '" + job.getId() + "' is " + job.getStatus().wireName()
					+ "; its result can be downloaded once it has succeeded.");
		}
		return results.open(job.getId());
	}

	/**
	 * Deletes a finished job and its result file (a dataset it saved stays); 409 while
	 * queued or running.
	 */
	public void delete(String id) {
		BatchPredictionJob job = get(id);
		if (!job.getStatus().finished()) {
			throw DomainException
				.conflict("Batch prediction '" + id + "' is " + job.getStatus().wireName() + "; cancel it first.");
		}
		repository.deleteById(job.getId());
		results.delete(job.getId());
	}

	@Override
	@Transactional(readOnly = true)
	public boolean inUse(UUID datasetId) {
		return repository.existsByDatasetIdAndStatusIn(datasetId, List.of(JobStatus.QUEUED, JobStatus.RUNNING));
	}

	/**
	 * Result files whose job row never committed (a process killed in between) are
	 * removed once started.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void removeOrphanResults() {
		results.removeOrphanFiles(repository::existsById);
	}

}
