package io.fitserve.training;

import io.fitserve.ml.EpochLoss;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * In-memory progress and cancel flags of running jobs, so polling never waits on the
 * database.
 */
@Component
class LiveProgress {

	/**
	 * @param stage 0-based index of the current stage (cross-validation folds, then the
	 * final model), out of stages
	 */
	record Snapshot(EpochLoss last, int epochs, int stage, int stages, String stageName, long startedNanos,
			long elapsedMs) {

		double fraction() {
			double within = last == null || epochs <= 0 ? 0 : Math.min(1.0, last.epoch() / (double) epochs);
			return (stage + within) / stages;
		}

	}

	private final Map<UUID, Snapshot> running = new ConcurrentHashMap<>();

	/** Why a running job is asked to stop at its next batch or epoch boundary. */
	enum StopReason {

		/** The user cancelled it: it ends cancelled. */
		CANCEL,

		/**
		 * The service is shutting down: it goes back to the queue and runs again at the
		 * next start.
		 */
		SHUTDOWN

	}

	private final Map<UUID, StopReason> stopRequests = new ConcurrentHashMap<>();

	void started(UUID id, int epochs) {
		running.put(id, new Snapshot(null, epochs, 0, 1, null, System.nanoTime(), 0));
	}

	void stage(UUID id, int stage, int stages, String name) {
		running.computeIfPresent(id, (k, s) -> new Snapshot(null, s.epochs(), stage, stages, name, s.startedNanos(),
				millisSince(s.startedNanos())));
	}

	void update(UUID id, EpochLoss loss, int epochs) {
		running.computeIfPresent(id, (k, s) -> new Snapshot(loss, epochs, s.stage(), s.stages(), s.stageName(),
				s.startedNanos(), millisSince(s.startedNanos())));
	}

	Snapshot get(UUID id) {
		return running.get(id);
	}

	/** Every running job's snapshot now (a copy). */
	Map<UUID, Snapshot> all() {
		return Map.copyOf(running);
	}

	void requestCancel(UUID id) {
		stopRequests.put(id, StopReason.CANCEL);
	}

	/**
	 * Asks every running job to stop for a shutdown; a cancel already asked for stays a
	 * cancel.
	 */
	void requestShutdownStop() {
		for (UUID id : running.keySet()) {
			stopRequests.putIfAbsent(id, StopReason.SHUTDOWN);
		}
	}

	boolean cancelRequested(UUID id) {
		return stopRequests.get(id) == StopReason.CANCEL;
	}

	/** Why the job was asked to stop; null if it was not. */
	StopReason stopReason(UUID id) {
		return stopRequests.get(id);
	}

	void finished(UUID id) {
		running.remove(id);
		stopRequests.remove(id);
	}

	private static long millisSince(long nanos) {
		return (System.nanoTime() - nanos) / 1_000_000;
	}

}
