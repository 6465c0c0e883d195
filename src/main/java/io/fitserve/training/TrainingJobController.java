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

@RestController
@RequestMapping("/api/v1/training-jobs")
@Tag(name = "Training jobs", description = "Train models in the background and follow their progress")
class TrainingJobController {

	private final TrainingJobService jobs;

	TrainingJobController(TrainingJobService jobs) {
		this.jobs = jobs;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Start a training job",
			description = "Returns at once with the queued job and every default filled in; poll the Location.")
	@ApiResponse(responseCode = "202", description = "Queued")
	@ApiResponse(responseCode = "400", description = "Invalid spec; errors lists each field and what is allowed",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "404", description = "Unknown dataset",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "429", description = "Executor full; see Retry-After",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "503", description = "The service is shutting down; retry after Retry-After",
			content = @Content(mediaType = "application/problem+json"))
	ResponseEntity<TrainingJobResponse> submit(@RequestBody TrainingJobRequest request) {
		io.fitserve.web.RequestChecks.datasetId(request.datasetId());
		TrainingJob job = jobs.submit(request);
		return ResponseEntity.accepted()
			.location(URI.create("/api/v1/training-jobs/" + job.getId()))
			.body(TrainingJobResponse.from(job, null));
	}

	@GetMapping
	@Operation(summary = "List training jobs, newest first, optionally by status")
	PageResponse<TrainingJobResponse> list(
			@Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(
					required = false) String status,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
		JobStatus filter = JobStatus.filter(status);
		return PageResponse.of(jobs.list(filter, Paging.newestFirst(page, size)),
				job -> TrainingJobResponse.from(job, jobs.liveProgress(job.getId())));
	}

	@GetMapping("/{id}")
	@Operation(summary = "A training job's status and progress")
	TrainingJobResponse get(@PathVariable String id) {
		TrainingJob job = jobs.get(id);
		return TrainingJobResponse.from(job, jobs.liveProgress(job.getId()));
	}

	@GetMapping("/{id}/history")
	@Operation(summary = "Train and validation loss after each epoch")
	List<EpochRecord> history(@PathVariable String id) {
		return jobs.history(id);
	}

	@PostMapping("/{id}/cancel")
	@Operation(summary = "Cancel a job",
			description = "A queued job is cancelled at once, a running one stops between batches (202 until it has). "
					+ "Idempotent; a succeeded or failed job answers 409.")
	@ApiResponse(responseCode = "409", description = "Already finished",
			content = @Content(mediaType = "application/problem+json"))
	ResponseEntity<TrainingJobResponse> cancel(@PathVariable String id) {
		TrainingJob job = jobs.cancel(id);
		HttpStatus status = job.getStatus() == JobStatus.RUNNING ? HttpStatus.ACCEPTED : HttpStatus.OK;
		return ResponseEntity.status(status).body(TrainingJobResponse.from(job, jobs.liveProgress(job.getId())));
	}

}
