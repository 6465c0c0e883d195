package io.fitserve.prediction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fitserve.training.JobEvents;
import io.fitserve.training.JobStatus;

import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The {@code progress} and {@code status} event stream of a batch prediction, on the
 * training jobs' stream machinery (training.JobEvents: shared poller threads,
 * fitserve.events.* limits, heartbeats). State comes from the job's row, where the
 * running replica writes progress once per chunk, so a stream works on any replica.
 */
@Service
class BatchPredictionEvents {

	/**
	 * {@code progress}: the rows done so far and the 0..1 fraction, as on the job
	 * resource.
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	record Progress(JobStatus status, long rowsTotal, long rowsScored, long rowsSkipped, double progress) {
	}

	/**
	 * {@code status}: the job's status, and its saved dataset or error once it has one.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Status(UUID id, JobStatus status, UUID resultDatasetId, BatchPredictionError error, Instant finishedAt) {
	}

	private final BatchPredictionService jobs;

	private final JobEvents events;

	BatchPredictionEvents(BatchPredictionService jobs, JobEvents events) {
		this.jobs = jobs;
		this.events = events;
	}

	/** 404 for an unknown job, 429 past fitserve.events.max-streams; else the stream. */
	SseEmitter open(String id) {
		UUID jobId = jobs.get(id).getId();
		return events.open(new Poller(jobId));
	}

	/**
	 * The first poll sends the current status (unless terminal) and progress; later polls
	 * send progress and status when they changed; a terminal status, after the final
	 * progress, is the last event.
	 */
	private final class Poller implements JobEvents.Poller {

		private final UUID id;

		private JobStatus lastStatus;

		private Progress lastProgress;

		Poller(UUID id) {
			this.id = id;
		}

		@Override
		public JobEvents.Tick poll() {
			BatchPredictionJob job = jobs.get(id.toString());
			JobStatus status = job.getStatus();
			List<JobEvents.Event> out = new ArrayList<>();
			boolean terminal = status.finished();
			if (!terminal && status != lastStatus) {
				out.add(new JobEvents.Event("status", new Status(id, status, null, null, null)));
			}
			Progress progress = new Progress(status, job.getRowsTotal(), job.getRowsScored(), job.getRowsSkipped(),
					BatchPredictionJobResponse.progress(job));
			if (!progress.equals(lastProgress)) {
				out.add(new JobEvents.Event("progress", progress));
				lastProgress = progress;
			}
			if (terminal) {
				out.add(new JobEvents.Event("status",
						new Status(id, status, job.getResultDatasetId(), job.getError(), job.getFinishedAt())));
			}
			lastStatus = status;
			return new JobEvents.Tick(out, terminal);
		}

	}

}
