package io.fitserve.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The {@code progress}, {@code epoch} and {@code status} event streams of training and
 * tuning jobs. State comes from the job's database row, so a stream works on any replica;
 * the replica that runs a training job adds its finer in-memory progress and per-epoch
 * history.
 */
@Service
class JobEventStreams {

	private final TrainingJobService training;

	private final TuningJobService tuning;

	private final TrainingRunner runner;

	private final JobEvents events;

	JobEventStreams(TrainingJobService training, TuningJobService tuning, TrainingRunner runner, JobEvents events) {
		this.training = training;
		this.tuning = tuning;
		this.runner = runner;
		this.events = events;
	}

	/** 404 for an unknown job, 429 past fitserve.events.max-streams; else the stream. */
	SseEmitter training(String id) {
		UUID jobId = training.get(id).getId();
		return events.open(new TrainingPoller(jobId));
	}

	SseEmitter tuning(String id) {
		UUID jobId = tuning.get(id).getId();
		return events.open(new TuningPoller(jobId));
	}

	private static JobEvents.Event status(UUID id, JobStatus status, UUID modelId, UUID bestModelId, JobError error,
			java.time.Instant finishedAt) {
		return new JobEvents.Event("status",
				new JobEventData.Status(id, status, modelId, bestModelId, error, finishedAt));
	}

	/**
	 * The first poll sends the current status and progress; later polls send each new
	 * epoch, progress when it changed, and the status when it changed; a terminal status
	 * is the last event.
	 */
	private final class TrainingPoller implements JobEvents.Poller {

		private final UUID id;

		private JobStatus lastStatus;

		private JobEventData.TrainingProgress lastProgress;

		/**
		 * Epochs up to this one were sent (or were already done when the stream opened).
		 */
		private int lastEpoch = -1;

		/** Records of this replica's live history already looked at. */
		private int seen;

		TrainingPoller(UUID id) {
			this.id = id;
		}

		@Override
		public JobEvents.Tick poll() {
			TrainingJobService.WithProgress read = training.getWithProgress(id.toString());
			TrainingJob job = read.job();
			JobStatus status = job.getStatus();
			TrainingJobResponse response = TrainingJobResponse.from(job, read.live());
			List<JobEvents.Event> out = new ArrayList<>();
			boolean terminal = status.finished();
			if (!terminal && status != lastStatus) {
				out.add(status(id, status, null, null, null, null));
			}
			List<EpochRecord> epochs = epochs(job);
			if (lastEpoch < 0) {
				// a late client gets the current state (progress holds the latest epoch),
				// not the whole history
				lastEpoch = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
			}
			else {
				if (!epochs.isEmpty() && epochs.get(epochs.size() - 1).epoch() < lastEpoch) {
					lastEpoch = 0; // a new stage (cross-validation fold, then the final
									// model) counts from 1 again
				}
				for (EpochRecord epoch : epochs) {
					if (epoch.epoch() > lastEpoch) {
						out.add(new JobEvents.Event("epoch", epoch));
						lastEpoch = epoch.epoch();
					}
				}
			}
			JobEventData.TrainingProgress progress = JobEventData.TrainingProgress.of(status, response.progress());
			if (!progress.sameAs(lastProgress)) {
				out.add(new JobEvents.Event("progress", progress));
				lastProgress = progress;
			}
			if (terminal) {
				out.add(status(id, status, job.getModelId(), null, job.getError(), job.getFinishedAt()));
			}
			lastStatus = status;
			return new JobEvents.Tick(out, terminal);
		}

		/**
		 * Epoch records known now: this replica's live history while it runs the job;
		 * another replica's latest persisted epoch (its row is updated every few
		 * seconds); the stored history once finished.
		 */
		private List<EpochRecord> epochs(TrainingJob job) {
			if (job.getStatus() == JobStatus.RUNNING) {
				TrainingRunner.LiveTail local = runner.liveHistoryFrom(id, seen);
				if (local != null) {
					if (local.restarted()) {
						lastEpoch = 0;
					}
					seen = local.size();
					return local.records();
				}
				return job.getEpoch() == 0 ? List.of()
						: List.of(new EpochRecord(job.getEpoch(), job.getTrainLoss(), job.getValidationLoss()));
			}
			return job.getStatus().finished() ? job.getHistory() : List.of();
		}

	}

	/**
	 * Tuning jobs: status, a trial event per finished trial (those finished before the
	 * stream opened first, in trial order) and progress (trial i of n, best score so
	 * far); they have no epochs of their own.
	 */
	private final class TuningPoller implements JobEvents.Poller {

		private final UUID id;

		private JobStatus lastStatus;

		private JobEventData.TuningProgress lastProgress;

		/** Trials already sent, by number. */
		private final Set<Integer> sentTrials = new HashSet<>();

		TuningPoller(UUID id) {
			this.id = id;
		}

		@Override
		public JobEvents.Tick poll() {
			TuningJob job = tuning.get(id.toString());
			JobStatus status = job.getStatus();
			List<JobEvents.Event> out = new ArrayList<>();
			boolean terminal = status.finished();
			if (!terminal && status != lastStatus) {
				out.add(status(id, status, null, null, null, null));
			}
			out.addAll(trials(job));
			JobEventData.TuningProgress progress = JobEventData.TuningProgress.of(status,
					TuningJobResponse.from(job).progress());
			if (!progress.equals(lastProgress)) {
				out.add(new JobEvents.Event("progress", progress));
				lastProgress = progress;
			}
			if (terminal) {
				out.add(status(id, status, null, job.getBestModelId(), job.getError(), job.getFinishedAt()));
			}
			lastStatus = status;
			return new JobEvents.Tick(out, terminal);
		}

		/**
		 * Trials finished (succeeded or failed; not skipped) and not sent yet, from the
		 * job's stored leaderboard.
		 */
		private List<JobEvents.Event> trials(TuningJob job) {
			List<TrialResult> finished = job.getLeaderboard()
				.stream()
				.filter(t -> "completed".equals(t.status()) || "failed".equals(t.status()))
				.sorted(Comparator.comparingInt(TrialResult::trial))
				.toList();
			Set<Integer> now = new HashSet<>();
			finished.forEach(t -> now.add(t.trial()));
			if (!now.containsAll(sentTrials)) {
				// the job started over (a new attempt after a replica was lost): its
				// trials run, and are sent, again
				sentTrials.clear();
			}
			List<JobEvents.Event> out = new ArrayList<>();
			for (TrialResult t : finished) {
				if (sentTrials.add(t.trial())) {
					out.add(new JobEvents.Event("trial", JobEventData.Trial.of(t)));
				}
			}
			return out;
		}

	}

}
