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
@RequestMapping("/api/v1/tuning-jobs")
@Tag(name = "Tuning jobs", description = "Hyperparameter search with cross-validation")
class TuningJobController {

	private final TuningJobService tuning;

	private final JobEventStreams events;

	TuningJobController(TuningJobService tuning, JobEventStreams events) {
		this.tuning = tuning;
		this.events = events;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "startTuningJob", summary = "Start a hyperparameter search",
			description = "grid tries every combination of listed values; random draws `trials` configurations from "
					+ "lists and ranges ({min, max, log}). Each trial is scored by k-fold cross-validation on the "
					+ "non-test rows; the best is retrained on all of them and saved as an ordinary model.")
	@ApiResponse(responseCode = "202",
			description = "Queued; the trials are drawn and listed in spec.trials; Location is the job's URL")
	@ApiResponse(responseCode = "400", description = "Invalid search; errors name each problem")
	@ApiResponse(responseCode = "404", description = "Unknown dataset")
	@ApiResponse(responseCode = "422", description = "The dataset cannot train this search within the training limits")
	@ApiResponse(responseCode = "429", description = "Too many searches or a full executor; see Retry-After")
	@ApiResponse(responseCode = "503", description = "The service is shutting down; retry after Retry-After")
	ResponseEntity<TuningJobResponse> submit(@RequestBody TuningJobRequest request) {
		io.fitserve.web.RequestChecks.datasetId(request.datasetId());
		TuningJob job = tuning.submit(request);
		return ResponseEntity.accepted()
			.location(URI.create("/api/v1/tuning-jobs/" + job.getId()))
			.body(TuningJobResponse.from(job));
	}

	@GetMapping
	@Operation(operationId = "listTuningJobs", summary = "List tuning jobs, newest first, optionally by status")
	@ApiResponse(responseCode = "200", description = "One page of tuning jobs")
	PageResponse<TuningJobResponse> list(
			@Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(
					required = false) String status,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
		JobStatus filter = JobStatus.filter(status);
		return PageResponse.of(tuning.list(filter, Paging.newestFirst(page, size)), TuningJobResponse::from);
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getTuningJob",
			summary = "A tuning job: status, trial i of n, best score so far, the best model once done")
	@ApiResponse(responseCode = "200", description = "The tuning job")
	TuningJobResponse get(@PathVariable String id) {
		return TuningJobResponse.from(tuning.get(id));
	}

	@GetMapping("/{id}/leaderboard")
	@Operation(operationId = "getTuningLeaderboard",
			summary = "Every trial with its hyperparameters and cross-validated score, best first")
	@ApiResponse(responseCode = "200", description = "The trials, ranked")
	List<TrialResult> leaderboard(@PathVariable String id) {
		return tuning.get(id).getLeaderboard();
	}

	@PostMapping("/{id}/cancel")
	@Operation(operationId = "cancelTuningJob",
			summary = "Cancel a search; idempotent; 409 once it succeeded or failed")
	@ApiResponse(responseCode = "200", description = "Cancelled (a queued search, or one cancelled before)")
	@ApiResponse(responseCode = "202", description = "Running: it stops at the next batch and ends cancelled")
	@ApiResponse(responseCode = "409", description = "Already succeeded or failed")
	ResponseEntity<TuningJobResponse> cancel(@PathVariable String id) {
		TuningJob job = tuning.cancel(id);
		HttpStatus status = job.getStatus() == JobStatus.RUNNING ? HttpStatus.ACCEPTED : HttpStatus.OK;
		return ResponseEntity.status(status).body(TuningJobResponse.from(job));
	}

	@GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamTuningJobEvents", summary = "Live tuning job events (server-sent events)",
			description = "text/event-stream of progress (status, trial of trials, fraction, metric, bestScore, bestHyperparameters), "
					+ "trial (one per finished trial: trial, status succeeded or failed, score, hyperparameters; the "
					+ "trials finished before the stream opened come first) and status events. The current state comes first; the stream ends after a "
					+ "terminal status event; a comment line is sent every 15 s without events. State is read from "
					+ "the database every fitserve.events.poll-interval, so the stream works on any replica.")
	@ApiResponse(responseCode = "200", description = "The event stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string",
							description = "Server-sent events: 'event: progress', 'trial' or 'status' lines, each "
									+ "followed by a 'data:' line of JSON (see the README's \"Live progress\")")))
	@ApiResponse(responseCode = "404", description = "Unknown job",
			content = @Content(mediaType = "application/problem+json"))
	@ApiResponse(responseCode = "429", description = "This replica serves fitserve.events.max-streams streams already",
			content = @Content(mediaType = "application/problem+json"))
	SseEmitter events(@PathVariable String id) {
		return events.tuning(id);
	}

}
