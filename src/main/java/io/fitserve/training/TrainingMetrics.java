package io.fitserve.training;

import io.fitserve.training.algorithms.AlgorithmRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Training metrics: jobs by status (one grouped query, run at most once per
 * {@link #JOB_COUNT_TTL_NANOS} however often Prometheus scrapes), this process's queue
 * depth and busy slots, and the duration of succeeded jobs by algorithm (one timer per
 * algorithm, registered up front).
 */
@Component
class TrainingMetrics {

	static final String JOBS = "fitserve.training.jobs";

	static final String DURATION = "fitserve.training.duration";

	/** How long a jobs-by-status snapshot is reused. */
	static final long JOB_COUNT_TTL_NANOS = 5_000_000_000L;

	private static final Log log = LogFactory.getLog(TrainingMetrics.class);

	private static final Duration[] DURATION_BUCKETS = { Duration.ofSeconds(1), Duration.ofSeconds(5),
			Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
			Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3) };

	private final TrainingJobRepository jobs;

	private final Map<String, Timer> durations = new java.util.HashMap<>();

	private volatile Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);

	private volatile long countedAt = System.nanoTime() - JOB_COUNT_TTL_NANOS - 1;

	TrainingMetrics(MeterRegistry registry, TrainingJobRepository jobs, TrainingExecutor executor,
			org.springframework.beans.factory.ObjectProvider<JobQueue> queue) {
		this.jobs = jobs;
		for (JobStatus status : JobStatus.values()) {
			Gauge.builder(JOBS, this, m -> m.count(status))
				.description("Training jobs in the database by status (refreshed at most every 5 s)")
				.tag("status", status.wireName())
				.register(registry);
		}
		Gauge.builder("fitserve.training.queue.depth", this, m -> m.waiting(queue))
			.description("Training and tuning jobs waiting for a slot on any replica (refreshed at most every 5 s)")
			.register(registry);
		Gauge.builder("fitserve.training.slots.busy", executor, TrainingExecutor::active)
			.description("Training slots running a job in this process (fitserve.training.max-concurrent-jobs)")
			.register(registry);
		for (String algorithm : AlgorithmRegistry.names()) {
			durations.put(algorithm,
					Timer.builder(DURATION)
						.description("Wall time of succeeded training jobs, by algorithm")
						.tag("algorithm", algorithm)
						.serviceLevelObjectives(DURATION_BUCKETS)
						.register(registry));
		}
	}

	void succeeded(String algorithm, long millis) {
		Timer timer = durations.get(algorithm);
		if (timer != null) {
			timer.record(millis, TimeUnit.MILLISECONDS);
		}
	}

	private volatile long waiting;

	private volatile long waitingAt = System.nanoTime() - JOB_COUNT_TTL_NANOS - 1;

	private double waiting(org.springframework.beans.factory.ObjectProvider<JobQueue> queue) {
		long now = System.nanoTime();
		if (now - waitingAt >= JOB_COUNT_TTL_NANOS) {
			waitingAt = now;
			try {
				waiting = queue.getObject().waiting();
			}
			catch (RuntimeException ex) {
				log.debug("Could not count waiting jobs: " + ex);
			}
		}
		return waiting;
	}

	private double count(JobStatus status) {
		refresh();
		return counts.getOrDefault(status, 0L);
	}

	private void refresh() {
		long now = System.nanoTime();
		if (now - countedAt < JOB_COUNT_TTL_NANOS) {
			return;
		}
		synchronized (this) {
			if (now - countedAt < JOB_COUNT_TTL_NANOS) {
				return;
			}
			try {
				Map<JobStatus, Long> fresh = new EnumMap<>(JobStatus.class);
				for (Object[] row : jobs.countByStatus()) {
					fresh.put((JobStatus) row[0], ((Number) row[1]).longValue());
				}
				counts = fresh;
			}
			catch (RuntimeException ex) {
				// a scrape must not fail because the database is down; the last counts
				// stay (health says why)
				log.debug("Could not count training jobs by status: " + ex);
			}
			countedAt = System.nanoTime();
		}
	}

}
