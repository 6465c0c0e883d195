package io.fitserve.prediction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;

import io.fitserve.training.JobStatus;
import io.fitserve.web.PageResponse;
import io.fitserve.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@Tag(name = "Batch predictions", description = "Score a stored dataset in the background and download the result")
class BatchPredictionController {

	private static final String JOBS = "/api/v1/batch-predictions";

	private static final String PROBLEM = "application/problem+json";

	private final BatchPredictionService jobs;

	private final BatchPredictionEvents events;

	BatchPredictionController(BatchPredictionService jobs, BatchPredictionEvents events) {
		this.jobs = jobs;
		this.events = events;
	}

	@PostMapping(path = "/api/v1/models/{id}/batch-predictions", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "startBatchPrediction", summary = "Score a stored dataset in the background",
			description = "Queues a job that scores every row of the dataset with this model, as the synchronous "
					+ "text/csv predictions do, and stores the result CSV (input columns, then prediction and, for "
					+ "classifiers, probability_<label> per class). Returns at once; follow the Location, or its "
					+ "events. The job takes a slot of the same cluster-wide queue as training jobs.")
	@ApiResponse(responseCode = "202", description = "Queued: the job; Location is its URL")
	@ApiResponse(responseCode = "400",
			description = "Invalid request (datasetId, onError, threshold, datasetName); " + "errors name the field",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "404", description = "Unknown model or dataset",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "422",
			description = "The dataset lacks some of the model's features; errors name each missing column",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "429", description = "The cluster's job queue is full; see Retry-After",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "503", description = "The service is shutting down; retry after Retry-After",
			content = @Content(mediaType = PROBLEM))
	ResponseEntity<BatchPredictionJobResponse> start(@PathVariable String id,
			@RequestBody BatchPredictionRequest request) {
		BatchPredictionJob job = jobs.submit(id, request);
		return ResponseEntity.accepted()
			.location(URI.create(JOBS + "/" + job.getId()))
			.body(BatchPredictionJobResponse.from(job));
	}

	@GetMapping(JOBS)
	@Operation(operationId = "listBatchPredictions",
			summary = "List batch predictions, newest first, optionally by status")
	@ApiResponse(responseCode = "200", description = "One page of batch predictions")
	PageResponse<BatchPredictionJobResponse> list(
			@Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(
					required = false) String status,
			@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
		JobStatus filter = JobStatus.filter(status);
		return PageResponse.of(jobs.list(filter, Paging.newestFirst(page, size)), BatchPredictionJobResponse::from);
	}

	@GetMapping(JOBS + "/{id}")
	@Operation(operationId = "getBatchPrediction", summary = "A batch prediction's status and progress")
	@ApiResponse(responseCode = "200",
			description = "The job: status, rows scored and skipped, progress, and its saved dataset or error")
	BatchPredictionJobResponse get(@PathVariable String id) {
		return BatchPredictionJobResponse.from(jobs.get(id));
	}

	@PostMapping(JOBS + "/{id}/cancel")
	@Operation(operationId = "cancelBatchPrediction", summary = "Cancel a batch prediction",
			description = "A queued job is cancelled at once, a running one stops after its current chunk of rows "
					+ "(202 until it has). Idempotent; a succeeded or failed job answers 409.")
	@ApiResponse(responseCode = "200", description = "Cancelled (a queued job, or one cancelled before)")
	@ApiResponse(responseCode = "202", description = "Running: it stops after its current chunk")
	@ApiResponse(responseCode = "409", description = "Already succeeded or failed",
			content = @Content(mediaType = PROBLEM))
	ResponseEntity<BatchPredictionJobResponse> cancel(@PathVariable String id) {
		BatchPredictionJob job = jobs.cancel(id);
		HttpStatus status = job.getStatus() == JobStatus.RUNNING ? HttpStatus.ACCEPTED : HttpStatus.OK;
		return ResponseEntity.status(status).body(BatchPredictionJobResponse.from(job));
	}

	@GetMapping(path = JOBS + "/{id}/result", produces = PredictionController.TEXT_CSV)
	@Operation(operationId = "downloadBatchPredictionResult",
			summary = "The result CSV of a succeeded batch prediction",
			description = "An attachment: the dataset's columns as its CSV download writes them, then prediction "
					+ "and, for classifiers, probability_<label> per class, exactly as the synchronous text/csv "
					+ "predictions answer; rows left out under onError=skip are absent (rowsSkipped counts them).")
	@ApiResponse(responseCode = "200", description = "The result CSV",
			content = @Content(mediaType = PredictionController.TEXT_CSV,
					schema = @Schema(type = "string", format = "binary")))
	@ApiResponse(responseCode = "404", description = "Unknown batch prediction",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "409", description = "Not succeeded (yet): queued, running, failed or cancelled",
			content = @Content(mediaType = PROBLEM))
	void result(@PathVariable String id, HttpServletResponse response) throws IOException {
		BatchPredictionJob job = jobs.get(id);
		// opened (and its header checked) before anything is written, so a missing file
		// is still a problem response
		try (InputStream csv = jobs.result(job)) {
			response.setContentType(PredictionController.TEXT_CSV + ";charset=UTF-8");
			response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename("batch-prediction-" + job.getId() + ".csv")
						.build()
						.toString());
			OutputStream out = response.getOutputStream();
			csv.transferTo(out);
			out.flush();
		}
	}

	@DeleteMapping(JOBS + "/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteBatchPrediction", summary = "Delete a finished batch prediction and its result",
			description = "A dataset it saved (resultDatasetId) is kept. 409 while queued or running: cancel first.")
	@ApiResponse(responseCode = "204", description = "Deleted, with its result file")
	@ApiResponse(responseCode = "409", description = "Queued or running", content = @Content(mediaType = PROBLEM))
	void delete(@PathVariable String id) {
		jobs.delete(id);
	}

	@GetMapping(path = JOBS + "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamBatchPredictionEvents",
			summary = "Live batch prediction events (server-sent events)",
			description = "text/event-stream of progress (status, rowsTotal, rowsScored, rowsSkipped, progress) and "
					+ "status (id, status, and resultDatasetId or error once finished) events. The current state "
					+ "comes first; the stream ends after a terminal status event. State is read from the database "
					+ "every fitserve.events.poll-interval, so the stream works on any replica.")
	@ApiResponse(responseCode = "200", description = "The event stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @Schema(type = "string",
							description = "Server-sent events: 'event: progress' or 'status' lines, each followed by a "
									+ "'data:' line of JSON (see the README's \"Batch predictions\")")))
	@ApiResponse(responseCode = "404", description = "Unknown batch prediction",
			content = @Content(mediaType = PROBLEM))
	@ApiResponse(responseCode = "429", description = "This replica serves fitserve.events.max-streams streams already",
			content = @Content(mediaType = PROBLEM))
	SseEmitter events(@PathVariable String id) {
		return events.open(id);
	}

}
