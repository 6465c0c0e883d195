package io.fitserve.training;

import java.net.URI;
import java.util.List;

import io.fitserve.web.PageResponse;
import io.fitserve.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1/training-jobs")
@Tag(name = "Training jobs", description = "Train models in the background and follow their progress")
class TrainingJobController {

	private final TrainingJobService jobs;

	private final JobEventStreams events;

	TrainingJobController(TrainingJobService jobs, JobEventStreams events) {
		this.jobs = jobs;
		this.events = events;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "startTrainingJob", summary = "Start a training job",
			description = "Returns at once with the queued job and every default filled in; poll the Location.")
	@ApiResponse(responseCode = "202",
			description = "Queued: the job with its resolved spec (every default filled in); Location is the job's URL")
	@ApiResponse(responseCode = "400", description = "Invalid spec; errors lists each field and what is allowed")
	@ApiResponse(responseCode = "404", description = "Unknown dataset")
	@ApiResponse(responseCode = "422", description = "The dataset cannot train this spec within the training limits")
	@ApiResponse(responseCode = "429", description = "Executor full; see Retry-After")
	@ApiResponse(responseCode = "503", description = "The service is shutting down; retry after Retry-After")
	ResponseEntity<TrainingJobResponse> submit(@RequestBody TrainingJobRequest request) {
		io.fitserve.web.RequestChecks.datasetId(request.datasetId());
		TrainingJob job = jobs.submit(request);
		return ResponseEntity.accepted()
			.location(URI.create("/api/v1/training-jobs/" + job.getId()))
			.body(TrainingJobResponse.from(job, null));
	}

	@GetMapping
	@Operation(operationId = "listTrainingJobs", summary = "List training jobs, newest first, optionally by status")
	@ApiResponse(responseCode = "200", description = "One page of training jobs")
	PageResponse<TrainingJobResponse> list(
			@Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(
					required = false) String status,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
		JobStatus filter = JobStatus.filter(status);
		return PageResponse.of(jobs.listWithProgress(filter, Paging.newestFirst(page, size)),
				job -> TrainingJobResponse.from(job.job(), job.live()));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getTrainingJob", summary = "A training job's status and progress")
	@ApiResponse(responseCode = "200", description = "The job: status, progress, attempt, worker, modelId once done")
	TrainingJobResponse get(@PathVariable String id) {
		TrainingJobService.WithProgress job = jobs.getWithProgress(id);
		return TrainingJobResponse.from(job.job(), job.live());
	}

	@GetMapping("/{id}/history")
	@Operation(operationId = "getTrainingJobHistory", summary = "Train and validation loss after each epoch")
	@ApiResponse(responseCode = "200", description = "One record per finished epoch, in order")
	List<EpochRecord> history(@PathVariable String id) {
		return jobs.history(id);
	}

	@PostMapping("/{id}/cancel")
	@Operation(operationId = "cancelTrainingJob", summary = "Cancel a job",
			description = "A queued job is cancelled at once, a running one stops between batches (202 until it has). "
					+ "Idempotent; a succeeded or failed job answers 409.")
	@ApiResponse(responseCode = "200", description = "Cancelled (a queued job, or one cancelled before)")
	@ApiResponse(responseCode = "202", description = "Running: it stops at the next batch")
	@ApiResponse(responseCode = "409", description = "Already succeeded or failed")
	ResponseEntity<TrainingJobResponse> cancel(@PathVariable String id) {
		TrainingJob job = jobs.cancel(id);
		HttpStatus status = job.getStatus() == JobStatus.RUNNING ? HttpStatus.ACCEPTED : HttpStatus.OK;
		return ResponseEntity.status(status).body(TrainingJobResponse.from(job, jobs.liveProgress(job.getId())));
	}

	@GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamTrainingJobEvents", summary = "Live training job events (server-sent events)",
			description = "text/event-stream of progress (status, epoch of epochs, fraction, losses, etaMs as on the job resource), epoch (one per epoch completed while connected: epoch, trainLoss, validationLoss) and status events. The current state comes first; the stream ends after a "
					+ "terminal status event; a comment line is sent every 15 s without events. State is read from "
					+ "the database every fitserve.events.poll-interval, so the stream works on any replica.")
	@ApiResponse(responseCode = "200", description = "The event stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string",
							description = "Server-sent events: 'event: progress', 'epoch' or 'status' lines, each "
									+ "followed by a 'data:' line of JSON (see the README's \"Live progress\")")))
	@ApiResponse(responseCode = "404", description = "Unknown job",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "429", description = "This replica serves fitserve.events.max-streams streams already",
			content = @Content(mediaType = "application/problem+json"))
	SseEmitter events(@PathVariable String id) {
		return events.training(id);
	}

}
