package io.fitserve.prediction;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fitserve.training.JobStatus;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A batch prediction job: its status, rows done, and the result (download, saved dataset)
 * or error it ended with.
 */
@Schema(description = "A batch prediction job: status, rows done so far, and the result or error it ended with")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchPredictionJobResponse(UUID id, UUID modelId, UUID datasetId,
		@Schema(description = "queued, running, succeeded, failed or cancelled") JobStatus status,
		@Schema(description = "rows in the dataset") long rowsTotal,
		@Schema(description = "rows scored and written to the result (persisted once per chunk while running)") long rowsScored,
		@Schema(description = "rows left out under onError=skip") long rowsSkipped,
		@Schema(description = "(rowsScored + rowsSkipped) / rowsTotal, 1 once succeeded") double progress,
		@Schema(description = "the dataset the result was saved as (saveAsDataset); null otherwise") UUID resultDatasetId,
		@Schema(description = "why the job failed; null unless failed") BatchPredictionError error, Instant createdAt,
		Instant startedAt, Instant finishedAt, Links links) {

	/**
	 * Where to follow the job: itself, its event stream, and its result CSV (null until
	 * succeeded).
	 */
	@Schema(name = "BatchPredictionLinks",
			description = "URLs of the job, its event stream and (once succeeded) its " + "result CSV")
	public record Links(String self, String events, String result) {
	}

	static BatchPredictionJobResponse from(BatchPredictionJob job) {
		String self = "/api/v1/batch-predictions/" + job.getId();
		return new BatchPredictionJobResponse(job.getId(), job.getModelId(), job.getDatasetId(), job.getStatus(),
				job.getRowsTotal(), job.getRowsScored(), job.getRowsSkipped(), progress(job), job.getResultDatasetId(),
				job.getError(), job.getCreatedAt(), job.getStartedAt(), job.getFinishedAt(),
				new Links(self, self + "/events", job.getStatus() == JobStatus.SUCCEEDED ? self + "/result" : null));
	}

	static double progress(BatchPredictionJob job) {
		if (job.getStatus() == JobStatus.SUCCEEDED) {
			return 1.0;
		}
		if (job.getRowsTotal() <= 0) {
			return 0.0;
		}
		return Math.min(1.0, (job.getRowsScored() + job.getRowsSkipped()) / (double) job.getRowsTotal());
	}

}
