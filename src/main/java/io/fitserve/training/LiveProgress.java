package io.fitserve.training;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.fitserve.ml.EpochLoss;

import org.springframework.stereotype.Component;

/** In-memory progress and cancel flags of running jobs, so polling never waits on the database. */
@Component
class LiveProgress {

	record Snapshot(EpochLoss last, int epochs, long startedNanos, long elapsedMs) {
	}

	private final Map<UUID, Snapshot> running = new ConcurrentHashMap<>();

	private final Map<UUID, Boolean> cancelRequests = new ConcurrentHashMap<>();

	void started(UUID id, int epochs) {
		running.put(id, new Snapshot(null, epochs, System.nanoTime(), 0));
	}

	Snapshot update(UUID id, EpochLoss loss) {
		return running.computeIfPresent(id, (k, s) -> new Snapshot(loss, s.epochs(), s.startedNanos(),
				(System.nanoTime() - s.startedNanos()) / 1_000_000));
	}

	Snapshot get(UUID id) {
		return running.get(id);
	}

	void requestCancel(UUID id) {
		cancelRequests.put(id, Boolean.TRUE);
	}

	boolean cancelRequested(UUID id) {
		return cancelRequests.containsKey(id);
	}

	void finished(UUID id) {
		running.remove(id);
		cancelRequests.remove(id);
	}

}
